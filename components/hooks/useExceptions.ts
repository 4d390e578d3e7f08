"use client";
import { useQuery } from "@tanstack/react-query";
import type { Acknowledgement } from "@/lib/queries/rollouts/getExceptions";
import { fetchApi } from "./fetchApi";
import { rolloutKeys } from "./rolloutKeys";
import { ROLLOUT_POLL_MS } from "./useRollout";

export interface ExceptionView extends Acknowledgement {
  /** Past its expiry: the path counts again. */
  expired: boolean;
}

/** The exceptions that apply to a rollout (GET /api/v1/acknowledgements?rolloutId): its own and every rollout's. */
export function useExceptions(rolloutId: string) {
  return useQuery({
    queryKey: rolloutKeys.exceptions(rolloutId),
    queryFn: ({ signal }) => fetchApi<{ acknowledgements: ExceptionView[] }>("/api/v1/acknowledgements", { rolloutId }, signal),
    refetchInterval: ROLLOUT_POLL_MS,
  });
}
