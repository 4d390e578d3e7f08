"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import { dropKeys, type SeriesParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";

/** Drops over time, in the chart's step (about 100 buckets) over the page's window. */
export function useDropSeries(params: SeriesParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.series(params),
    queryFn: ({ signal }) => fetchForRange<DropSeriesResult>("/api/v1/drops/series", { ...params }, signal, { step: true }),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
