import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import type { RolloutStage } from "@/lib/rollouts/stages";
import type { HealthVerdict } from "@/lib/rollouts/verdict";

export function StageBadge({ stage }: { stage: RolloutStage }) {
  return <span className={`badge stage-${stage.toLowerCase()}`}>{stage}</span>;
}

/**
 * The verdict as a badge: its name in words ("AT RISK", "INSUFFICIENT DATA"), coloured by its class.
 * NOT_ENFORCED looks unlike BREACHED (nothing breaks; the policy does nothing), though both fail gates.
 */
export function VerdictBadge({ verdict }: { verdict: HealthVerdict }) {
  return (
    <span className={`verdict verdict-${verdict.toLowerCase()}${verdict === "NOT_ENFORCED" ? " verdict-theatre" : ""}`} data-testid="verdict">
      {verdict.replaceAll("_", " ")}
    </span>
  );
}

/** What a promotion gate makes of the verdict: `healthy` passes it, `breached` fails it, anything else is inconclusive. */
export function GateBadge({ health }: { health: Pick<RolloutHealth, "healthy" | "breached"> }) {
  const [text, title, tone] = health.breached
    ? ["gate: fails", "breached is true: CI gates and Argo analyses fail this stage", "fail"]
    : health.healthy
      ? ["gate: passes", "healthy is true: CI gates and Argo analyses pass this stage", "pass"]
      : ["gate: inconclusive", "neither healthy nor breached: gates wait", "wait"];
  return (
    <span className={`gate-badge gate-${tone}`} title={title} data-testid="gate">
      {text}
    </span>
  );
}
