"use client";
import { useQuery } from "@tanstack/react-query";
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { fetchApi } from "./fetchApi";
import { rolloutKeys } from "./rolloutKeys";
import { ROLLOUT_POLL_MS } from "./useRollout";

/** The verdict on a stage (null: the current one), polled like the evaluator re-judges it. */
export function useRolloutHealth(id: string, stage: number | null) {
  return useQuery({
    queryKey: rolloutKeys.health(id, stage),
    queryFn: ({ signal }) => fetchApi<RolloutHealth>(`/api/v1/rollouts/${encodeURIComponent(id)}/health`, { stage }, signal),
    refetchInterval: ROLLOUT_POLL_MS,
  });
}
