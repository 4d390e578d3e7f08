"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";
import type { PathsParams } from "./dropKeys";
import { dropRequests } from "./dropRequests";
import { fetchJson } from "./fetchApi";

export function useTopDropPaths(params: PathsParams, refetchInterval: number | false = false) {
  const request = dropRequests.paths(params);
  return useQuery({
    queryKey: request.queryKey,
    queryFn: ({ signal }) => fetchJson<{ paths: DropPathRow[] }>(request.url(), signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
