"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { StillAuditedResult } from "@/lib/queries/drops/getStillAudited";
import { dropKeys, type StillAuditedParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";

/** AUDIT drops where a rollout stage enforces (GET /api/v1/drops/still-audited), in the chart's buckets. */
export function useStillAudited(params: StillAuditedParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.stillAudited(params),
    queryFn: ({ signal }) => fetchForRange<StillAuditedResult>("/api/v1/drops/still-audited", { ...params }, signal, { step: true }),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
