"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ErrorSeries } from "@/lib/rollouts/errorBudget";
import type { RangeParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";
import { rolloutKeys } from "./rolloutKeys";

/**
 * The rollout's application error ratio over the page's window (GET /api/v1/rollouts/{id}/errors),
 * for the judged stage's scope (null: the current one). Not asked when the rollout has no error
 * query, nor before the page's window is known.
 */
export function useRolloutErrors(id: string, stage: number | null, range: RangeParams, options: { enabled: boolean; refetchInterval: number | false }) {
  return useQuery({
    queryKey: rolloutKeys.errors(id, stage, range),
    queryFn: ({ signal }) => fetchForRange<ErrorSeries>(`/api/v1/rollouts/${encodeURIComponent(id)}/errors`, { ...range, stage }, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled && range.window !== null,
    refetchInterval: options.refetchInterval,
  });
}
