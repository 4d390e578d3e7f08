"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";
import { resolveRange } from "@/lib/queries/timeRange";
import { dropKeys, type PathsParams } from "./dropKeys";
import { fetchApi } from "./fetchApi";

export function useTopDropPaths(params: PathsParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.paths(params),
    queryFn: ({ signal }) => {
      const range = resolveRange(params.selection, new Date());
      const { selection: _selection, ...rest } = params;
      return fetchApi<{ paths: DropPathRow[] }>("/api/v1/drops/paths", { ...rest, from: range.from.toISOString(), to: range.to.toISOString() }, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
