"use client";
import { useQuery } from "@tanstack/react-query";
import type { ClusterSummary } from "@/lib/queries/clusters/getClusters";
import { fetchApi } from "./fetchApi";

export const clusterKeys = { all: ["clusters"] as const };

export interface ClustersReply {
  from: string;
  to: string;
  /** The server's time when it answered: ages and "since" are read against it. */
  now: string;
  livenessMinutes: number;
  clusters: ClusterSummary[];
}

/** Every cluster's collector check-in, last drop and last 24 h, refreshed every 30 s: a silent cluster should show. */
export function useClusters() {
  return useQuery({
    queryKey: clusterKeys.all,
    queryFn: ({ signal }) => fetchApi<ClustersReply>("/api/v1/clusters", {}, signal),
    refetchInterval: 30_000,
  });
}
