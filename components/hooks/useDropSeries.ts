"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import type { SeriesParams } from "./dropKeys";
import { dropRequests } from "./dropRequests";
import { fetchJson } from "./fetchApi";

/** Drops over time, in the chart's step (about 100 buckets) over the page's window. */
export function useDropSeries(params: SeriesParams, refetchInterval: number | false = false) {
  const request = dropRequests.series(params);
  return useQuery({
    queryKey: request.queryKey,
    queryFn: ({ signal }) => fetchJson<DropSeriesResult>(request.url(), signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
