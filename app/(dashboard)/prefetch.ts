// A page's first data, answered on the server while it renders: each request the page's panels
// would make from the browser (the same URL under the same query key, see dropRequests.ts) is
// answered in place by the API route that would answer it (same parsing, same lib/queries read,
// same reply), and handed to React Query (HydrationBoundary). A request that fails here is left
// out: the browser asks it again and its panel shows its own error with Retry.
import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { GET as seriesGET } from "@/app/api/v1/drops/series/route";
import { GET as pathsGET } from "@/app/api/v1/drops/paths/route";
import { GET as policiesGET } from "@/app/api/v1/drops/policies/route";
import { GET as stillAuditedGET } from "@/app/api/v1/drops/still-audited/route";
import { GET as markersGET } from "@/app/api/v1/rollouts/markers/route";
import type { ApiRequest } from "@/components/hooks/dropRequests";
import { jsonOrError } from "@/components/hooks/fetchApi";

const ROUTES: Record<string, (request: Request) => Promise<Response>> = {
  "/api/v1/drops/series": seriesGET,
  "/api/v1/drops/paths": pathsGET,
  "/api/v1/drops/policies": policiesGET,
  "/api/v1/drops/still-audited": stillAuditedGET,
  "/api/v1/rollouts/markers": markersGET,
};

/** The reply the API would give to this URL (path and query), without a round trip. */
async function answer(url: string): Promise<unknown> {
  const route = ROUTES[url.split("?")[0] ?? ""];
  if (!route) throw new Error(`no route to prefetch ${url}`);
  return jsonOrError<unknown>(await route(new Request(new URL(url, "http://dropboard.local"))), url);
}

export async function prefetch(requests: readonly ApiRequest[]): Promise<DehydratedState> {
  const client = new QueryClient();
  await Promise.all(requests.map((request) => client.prefetchQuery({ queryKey: request.queryKey, queryFn: () => answer(request.url()) })));
  // prefetchQuery asks a key once: a panel and the filter bar asking the same thing share one answer.
  return dehydrate(client);
}
