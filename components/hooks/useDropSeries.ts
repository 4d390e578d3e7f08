"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import { previousRange, resolveRange } from "@/lib/queries/timeRange";
import { dropKeys, type SeriesParams } from "./dropKeys";
import { fetchApi } from "./fetchApi";

export function useDropSeries(params: SeriesParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.series(params),
    queryFn: ({ signal }) => {
      // A live range is resolved when the request is made, so each refresh moves with now.
      const current = resolveRange(params.selection, new Date());
      const range = params.previous ? previousRange(current) : current;
      const { selection: _selection, previous: _previous, ...rest } = params;
      return fetchApi<DropSeriesResult>("/api/v1/drops/series", { ...rest, from: range.from.toISOString(), to: range.to.toISOString() }, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
