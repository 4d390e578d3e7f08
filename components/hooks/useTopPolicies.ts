"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PolicyCount } from "@/lib/queries/drops/getTopPolicies";
import type { PathsParams } from "./dropKeys";
import { dropRequests } from "./dropRequests";
import { fetchJson } from "./fetchApi";

export function useTopPolicies(params: PathsParams, refetchInterval: number | false = false) {
  const request = dropRequests.policies(params);
  return useQuery({
    queryKey: request.queryKey,
    queryFn: ({ signal }) => fetchJson<{ policies: PolicyCount[] }>(request.url(), signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled: params.window !== null,
  });
}
