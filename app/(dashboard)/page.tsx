// The overview page. Its state is the URL (search-params.ts); the client part reads it with nuqs.
// The server renders it with its first data (prefetched for the window of the moment it renders),
// so the page's first paint needs no API round trip and no client JavaScript.
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { windowKey } from "@/components/hooks/fetchForRange";
import { overviewRequests } from "@/components/hooks/overviewRequests";
import { rangeSelection } from "@/components/hooks/viewParams";
import { Overview } from "@/components/Overview";
import { viewWindow } from "@/lib/queries/timeRange";
import { prefetch } from "./prefetch";
import { dropViewCache } from "./search-params";
import { viewMetadata } from "./viewMetadata";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  return viewMetadata(searchParams, null);
}

/**
 * Not in a Suspense boundary of its own: the page's HTML arrives whole, with its data, and shows as
 * it is parsed (a streamed boundary would wait for its reveal script, behind the page's stylesheet).
 */
export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const view = dropViewCache.parse(await searchParams);
  const now = new Date();
  const state = await prefetch(overviewRequests(view, windowKey(viewWindow(rangeSelection(view), now))));
  return (
    <HydrationBoundary state={state}>
      <Overview serverNow={now.getTime()} />
    </HydrationBoundary>
  );
}
