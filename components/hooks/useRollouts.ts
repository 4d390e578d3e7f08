"use client";
import { useQuery } from "@tanstack/react-query";
import type { RolloutView } from "@/lib/queries/rollouts/getRollout";
import { fetchApi } from "./fetchApi";
import { rolloutKeys } from "./rolloutKeys";

/** Every rollout with its current stage and last verdict (GET /api/v1/rollouts), re-read every 30 s. */
export function useRollouts() {
  return useQuery({
    queryKey: rolloutKeys.list(),
    queryFn: ({ signal }) => fetchApi<{ rollouts: RolloutView[] }>("/api/v1/rollouts", {}, signal),
    refetchInterval: 30_000,
  });
}
