// The order the rollouts list shows: what needs someone first. Pure, for the list component.
import type { HealthVerdict } from "@/lib/rollouts/verdict";

/** What the order reads of a rollout (RolloutView has all of it). */
export interface RolloutForOrder {
  name: string;
  lastVerdict: HealthVerdict | null;
  completedAt: string | null;
  createdAt: string;
  currentStage: { stage: string; at: string } | null;
}

// Lower first: a failing gate, then what may become one, then what cannot be judged yet, then healthy.
const VERDICT_RANK: Record<HealthVerdict, number> = { BREACHED: 0, NOT_ENFORCED: 0, AT_RISK: 1, INSUFFICIENT_DATA: 2, HEALTHY: 3 };

/** 0: active and breached (or not enforced) … 3: active and healthy; 4: not started; 5: rolled back; 6: complete. */
export function rolloutRank(r: RolloutForOrder): number {
  if (r.completedAt) return 6;
  if (!r.currentStage) return 4;
  if (r.currentStage.stage === "ROLLED_BACK") return 5;
  return r.lastVerdict ? VERDICT_RANK[r.lastVerdict] : 2;
}

/**
 * Rollouts in the order a release manager works through them: breached (and not enforced) first,
 * then at risk, insufficient data, healthy; then not started, rolled back, complete. Within a rank,
 * the latest transition (or creation) first, then by name.
 */
export function sortRolloutsForList<R extends RolloutForOrder>(rollouts: readonly R[]): R[] {
  const since = (r: R) => Date.parse(r.currentStage?.at ?? r.createdAt);
  return [...rollouts].sort((a, b) => rolloutRank(a) - rolloutRank(b) || since(b) - since(a) || a.name.localeCompare(b.name));
}
