"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { StillAuditedResult } from "@/lib/queries/drops/getStillAudited";
import type { StillAuditedParams } from "./dropKeys";
import { dropRequests } from "./dropRequests";
import { fetchJson } from "./fetchApi";

/** AUDIT drops where a rollout stage enforces (GET /api/v1/drops/still-audited), in the chart's buckets. */
export function useStillAudited(params: StillAuditedParams, refetchInterval: number | false = false) {
  const request = dropRequests.stillAudited(params);
  return useQuery({
    queryKey: request.queryKey,
    queryFn: ({ signal }) => fetchJson<StillAuditedResult>(request.url(), signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
