"use client";
import { useQuery } from "@tanstack/react-query";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { fetchApi } from "./fetchApi";
import { rolloutKeys } from "./rolloutKeys";

export const ROLLOUT_POLL_MS = 30_000;

/** One rollout with its transitions and recent webhook deliveries (GET /api/v1/rollouts/{id}). */
export function useRollout(id: string) {
  return useQuery({
    queryKey: rolloutKeys.one(id),
    queryFn: ({ signal }) => fetchApi<RolloutDetail>(`/api/v1/rollouts/${encodeURIComponent(id)}`, {}, signal),
    refetchInterval: ROLLOUT_POLL_MS,
  });
}
