// What the allow-rule viewer says about an answer of the allow endpoints: the formats to offer, the
// broader rules the user may choose (never applied unasked), and a one-line summary of the objects.
import type { AllowReply, FormatOffer } from "@/lib/fixes/respond";
import { FIX_SCOPES, type FixFormat, type FixScope } from "@/lib/fixes/types";

export const FORMAT_LABELS: Record<FixFormat, string> = { kubernetes: "Kubernetes", cilium: "Cilium", calico: "Calico", antrea: "Antrea" };

export const SCOPE_LABELS: Record<FixScope, { label: string; meaning: string }> = {
  namespace: {
    label: "Allow every pod of the namespace",
    meaning: "where the drops carry no labels for a pod, allow the whole namespace instead (broader than the path)",
  },
  ip: {
    label: "Allow the addresses seen",
    meaning: "where a peer is known only by its address, allow that address (/32): a pod that later gets it is allowed too",
  },
};

/** The formats the drops' CNIs enforce (Kubernetes always), the recommended one first. */
export function offeredFormats(formats: readonly FormatOffer[]): FormatOffer[] {
  return formats.filter((f) => f.available).sort((a, b) => Number(b.recommended) - Number(a.recommended));
}

/** The broader rules to offer: those the answer suggests, and those already chosen (to take back). */
export function scopeChoices(reply: Pick<AllowReply, "suggestedScopes" | "scope">): FixScope[] {
  return FIX_SCOPES.filter((s) => reply.suggestedScopes.includes(s) || reply.scope.includes(s));
}

export function toggleScope(scopes: readonly FixScope[], scope: FixScope, on: boolean): FixScope[] {
  return FIX_SCOPES.filter((s) => (s === scope ? on : scopes.includes(s)));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2 CiliumNetworkPolicy objects (cilium.io/v2) for 2 drop paths · cluster demo-eu". */
export function summary(reply: Pick<AllowReply, "objects" | "paths" | "clusters">): string {
  const kinds = new Map<string, number>();
  for (const o of reply.objects) kinds.set(`${o.kind} (${o.apiVersion})`, (kinds.get(`${o.kind} (${o.apiVersion})`) ?? 0) + 1);
  const objects = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(", ");
  const clusters = reply.clusters.length === 0 ? "" : ` · ${reply.clusters.length === 1 ? "cluster" : "clusters"} ${reply.clusters.join(", ")}`;
  return `${objects} for ${plural(reply.paths.length, "drop path")}${clusters}`;
}

/** The paths the answer could write nothing (or only part) for. */
export function unwritten(reply: Pick<AllowReply, "paths">): { partial: number; none: number } {
  return {
    partial: reply.paths.filter((p) => p.status === "partial").length,
    none: reply.paths.filter((p) => p.status === "none").length,
  };
}

/** A rollout whose stage has no surprise: nothing to allow (not an empty bundle). */
export function nothingToAllow(reply: Pick<AllowReply, "paths" | "warnings">): boolean {
  return reply.paths.length === 0 || reply.warnings.some((w) => w.code === "no_surprises");
}
