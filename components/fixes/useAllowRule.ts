"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AllowReply } from "@/lib/fixes/respond";
import type { FixFormat, FixScope } from "@/lib/fixes/types";
import { fetchApi } from "../hooks/fetchApi";

/** What to allow: one drop path, or every surprise of a rollout's current stage. */
export type AllowTarget = { kind: "path"; cluster: string; id: string } | { kind: "rollout"; id: string };

/** The user's choices: a format (null: the dropping CNI's own, as the server recommends) and broader scopes. */
export interface AllowChoice {
  format: FixFormat | null;
  scope: FixScope[];
}

export function allowPath(target: AllowTarget): string {
  return target.kind === "path"
    ? `/api/v1/drops/paths/${encodeURIComponent(target.cluster)}/${encodeURIComponent(target.id)}/allow`
    : `/api/v1/rollouts/${encodeURIComponent(target.id)}/allow`;
}

export const fixKeys = {
  all: ["fixes"] as const,
  allow: (target: AllowTarget, choice: AllowChoice) =>
    [...fixKeys.all, "allow", target.kind, allowPath(target), choice.format ?? "recommended", [...choice.scope].sort().join(",")] as const,
};

/**
 * The allow rule for a path or a rollout's surprises (GET .../allow?output=json), fetched while
 * `enabled` (the dialog is open). A change of format or scope keeps the last answer on screen
 * until the new one arrives.
 */
export function useAllowRule(target: AllowTarget, choice: AllowChoice, enabled: boolean) {
  return useQuery({
    queryKey: fixKeys.allow(target, choice),
    queryFn: ({ signal }) =>
      fetchApi<AllowReply>(allowPath(target), { output: "json", format: choice.format, scope: choice.scope.length > 0 ? choice.scope.join(",") : null }, signal),
    enabled,
    placeholderData: keepPreviousData,
    // The rule follows the drops, which keep arriving: read again when reopened, not on every focus.
    staleTime: 30_000,
    refetchOnWindowFocus: false,
  });
}
