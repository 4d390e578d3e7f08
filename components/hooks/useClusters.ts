"use client";
import { useQuery } from "@tanstack/react-query";
import type { ClusterSummary } from "@/lib/queries/clusters/getClusters";
import { fetchApi } from "./fetchApi";

export const clusterKeys = { all: ["clusters"] as const };

/** Every cluster's last drop and its last 24 h, refreshed every 30 s: a silent cluster should show. */
export function useClusters() {
  return useQuery({
    queryKey: clusterKeys.all,
    queryFn: ({ signal }) => fetchApi<{ clusters: ClusterSummary[] }>("/api/v1/clusters", {}, signal),
    refetchInterval: 30_000,
  });
}
