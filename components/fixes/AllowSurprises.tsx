"use client";
// "Allow all surprises" beside the rollback: the other move when a canary breaks paths audit mode
// never saw. One bundle of allow rules for every surprise of the current stage; when the stage has
// none, it says so instead of offering an empty bundle.
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { AllowRuleDialog } from "./AllowRuleDialog";

interface Props {
  rolloutId: string;
  rolloutName: string;
  /** The current stage's health (undefined while it loads). */
  health: RolloutHealth | undefined;
}

export function AllowSurprises({ rolloutId, rolloutName, health }: Props) {
  if (!health?.stage) return null;
  const count = health.surprises.length;
  if (count === 0) {
    return (
      <span className="muted" data-testid="no-surprises">
        No surprises in the current stage: nothing to allow.
      </span>
    );
  }
  return (
    <>
      <AllowRuleDialog
        target={{ kind: "rollout", id: rolloutId }}
        title="Allow all surprises"
        subtitle={`rollout ${rolloutName} · current stage ${health.stage.stage} · ${count} surprise drop path${count === 1 ? "" : "s"}, one bundle`}
      />
      <span className="muted">the other move: allow what the stage broke</span>
    </>
  );
}
