"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PolicyCount } from "@/lib/queries/drops/getTopPolicies";
import { resolveRange } from "@/lib/queries/timeRange";
import { dropKeys, type PathsParams } from "./dropKeys";
import { fetchApi } from "./fetchApi";

export function useTopPolicies(params: PathsParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.policies(params),
    queryFn: ({ signal }) => {
      const range = resolveRange(params.selection, new Date());
      const { selection: _selection, ...rest } = params;
      return fetchApi<{ policies: PolicyCount[] }>("/api/v1/drops/policies", { ...rest, from: range.from.toISOString(), to: range.to.toISOString() }, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
