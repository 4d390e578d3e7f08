"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";
import { dropKeys, type PathsParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";

export function useTopDropPaths(params: PathsParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.paths(params),
    queryFn: ({ signal }) => fetchForRange<{ paths: DropPathRow[] }>("/api/v1/drops/paths", { ...params }, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
