"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { DropEventsPage } from "@/lib/queries/drops/getDropEvents";
import { dropKeys, type EventsParams } from "./dropKeys";
import { fetchApi } from "./fetchApi";
import { windowOf } from "./fetchForRange";

/** Raw events, newest first; `fetchNextPage` loads older ones. The range is fixed when the first page loads. */
export function useDropEvents(params: EventsParams) {
  return useInfiniteQuery({
    queryKey: dropKeys.events(params),
    initialPageParam: null as { cursor: string; from: string; to: string } | null,
    queryFn: ({ pageParam, signal }) => {
      const range = windowOf(params);
      const from = pageParam?.from ?? range.from.toISOString();
      const to = pageParam?.to ?? range.to.toISOString();
      const { selection: _selection, window: _window, ...rest } = params;
      return fetchApi<DropEventsPage>("/api/v1/drops/events", { ...rest, limit: params.limit ?? 50, from, to, cursor: pageParam?.cursor }, signal).then(
        (page) => ({ ...page, from, to }),
      );
    },
    getNextPageParam: (last) => (last.nextCursor ? { cursor: last.nextCursor, from: last.from, to: last.to } : null),
    enabled: params.window !== null,
  });
}
