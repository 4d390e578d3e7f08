import type { RolloutStage } from "@/lib/rollouts/stages";
import type { HealthVerdict } from "@/lib/rollouts/verdict";

const VERDICT_TEXT: Record<HealthVerdict, string> = {
  HEALTHY: "HEALTHY",
  AT_RISK: "AT RISK",
  BREACHED: "BREACHED",
  INSUFFICIENT_DATA: "INSUFFICIENT DATA",
};

export function StageBadge({ stage }: { stage: RolloutStage }) {
  return <span className={`badge stage-${stage.toLowerCase()}`}>{stage}</span>;
}

export function VerdictBadge({ verdict }: { verdict: HealthVerdict }) {
  return (
    <span className={`verdict verdict-${verdict.toLowerCase()}`} data-testid="verdict">
      {VERDICT_TEXT[verdict]}
    </span>
  );
}
