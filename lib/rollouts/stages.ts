// The stage machine of a rollout: OBSERVE (audit) -> CANARY -> EXPAND (repeatable) -> ENFORCED,
// or ROLLED_BACK from any stage; after a rollback the rollout may start again.
export const ROLLOUT_STAGES = ["OBSERVE", "CANARY", "EXPAND", "ENFORCED", "ROLLED_BACK"] as const;
export type RolloutStage = (typeof ROLLOUT_STAGES)[number];

/** Stages that enforce the rollout's policy on their scope (health compares enforced drops). */
export const ENFORCING_STAGES: readonly RolloutStage[] = ["CANARY", "EXPAND", "ENFORCED"];

const NEXT: Record<RolloutStage | "NONE", readonly RolloutStage[]> = {
  NONE: ["OBSERVE", "CANARY"],
  OBSERVE: ["CANARY", "ROLLED_BACK"],
  CANARY: ["EXPAND", "ENFORCED", "ROLLED_BACK"],
  EXPAND: ["EXPAND", "ENFORCED", "ROLLED_BACK"],
  ENFORCED: ["ROLLED_BACK"],
  ROLLED_BACK: ["OBSERVE", "CANARY"],
};

export function allowedNextStages(current: RolloutStage | null): readonly RolloutStage[] {
  return NEXT[current ?? "NONE"];
}

/** Slack for clocks: a transition may be stamped up to a minute ahead of the server. */
const FUTURE_SLACK_MS = 60_000;

/** Why this transition may not follow the last one, or null when it may. */
export function transitionProblem(last: { stage: RolloutStage; at: Date } | null, next: { stage: RolloutStage; at: Date }, now: Date): string | null {
  const allowed = allowedNextStages(last?.stage ?? null);
  if (!allowed.includes(next.stage)) {
    const from = last ? `from ${last.stage}` : "as the first stage";
    const hint = last?.stage === "ENFORCED" ? " (roll back first)" : "";
    return `${next.stage} cannot come ${from}${hint}; allowed: ${allowed.join(", ")}`;
  }
  if (next.at.getTime() > now.getTime() + FUTURE_SLACK_MS) return `at: ${next.at.toISOString()} is in the future`;
  if (last && next.at.getTime() < last.at.getTime()) {
    return `at: ${next.at.toISOString()} is before the previous transition (${last.stage} at ${last.at.toISOString()})`;
  }
  return null;
}
