"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { dropKeys, type MarkersParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";

/** Rollout stage transitions in a chart's range whose scope touches its filters. */
export function useStageMarkers(params: MarkersParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.markers(params),
    queryFn: ({ signal }) => fetchForRange<{ markers: StageMarker[] }>("/api/v1/rollouts/markers", { ...params }, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
