"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PolicyCount } from "@/lib/queries/drops/getTopPolicies";
import { dropKeys, type PathsParams } from "./dropKeys";
import { fetchForRange } from "./fetchForRange";

export function useTopPolicies(params: PathsParams, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: dropKeys.policies(params),
    queryFn: ({ signal }) => fetchForRange<{ policies: PolicyCount[] }>("/api/v1/drops/policies", { ...params }, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
