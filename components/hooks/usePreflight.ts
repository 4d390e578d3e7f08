"use client";
import { useQuery } from "@tanstack/react-query";
import type { Preflight } from "@/lib/queries/rollouts/getPreflight";
import { fetchApi } from "./fetchApi";
import { rolloutKeys, type PreflightAsk } from "./rolloutKeys";

/** What promoting to a scope would start dropping; asked on demand (null: not asked yet). */
export function usePreflight(id: string, ask: PreflightAsk | null) {
  const params = ask ?? { namespaces: "", classes: "", hours: 24 };
  return useQuery({
    queryKey: rolloutKeys.preflight(id, params),
    queryFn: ({ signal }) => fetchApi<Preflight>(`/api/v1/rollouts/${encodeURIComponent(id)}/preflight`, { ...params }, signal),
    enabled: ask !== null,
  });
}
