import type { RolloutStage } from "@/lib/rollouts/stages";
import type { HealthVerdict } from "@/lib/rollouts/verdict";

export function StageBadge({ stage }: { stage: RolloutStage }) {
  return <span className={`badge stage-${stage.toLowerCase()}`}>{stage}</span>;
}

/** The verdict as a badge: its name in words ("AT RISK", "INSUFFICIENT DATA"), coloured by its class. */
export function VerdictBadge({ verdict }: { verdict: HealthVerdict }) {
  return (
    <span className={`verdict verdict-${verdict.toLowerCase()}`} data-testid="verdict">
      {verdict.replaceAll("_", " ")}
    </span>
  );
}
