"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import type { MarkersParams } from "./dropKeys";
import { dropRequests } from "./dropRequests";
import { fetchJson } from "./fetchApi";

/** Rollout stage transitions in a chart's range whose scope touches its filters. */
export function useStageMarkers(params: MarkersParams, refetchInterval: number | false = false) {
  const request = dropRequests.markers(params);
  return useQuery({
    queryKey: request.queryKey,
    queryFn: ({ signal }) => fetchJson<{ markers: StageMarker[] }>(request.url(), signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
