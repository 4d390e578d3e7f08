"use client";
// The verdict on a stage (the current one, or one picked from the timeline) with its reasons and
// what a gate makes of it, the rollout's state (complete, rolled back), the figures against the
// budget, the application error budget, proof of enforcement, exceptions that expired, the drops
// in scope the budget leaves out, and which clusters are reporting.
import type { UseQueryResult } from "@tanstack/react-query";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { RolloutHealth, RolloutState } from "@/lib/queries/rollouts/getRolloutHealth";
import { describeScope } from "@/lib/rollouts/scope";
import { ENFORCING_STAGES } from "@/lib/rollouts/stages";
import { formatMinutes, formatTime, formatUtcSince } from "../ui/format";
import { ErrorState, Skeleton } from "../ui/states";
import { GateBadge, StageBadge, VerdictBadge } from "./badges";
import { CollectorLiveness } from "./CollectorLiveness";
import { EnforcementProof } from "./EnforcementProof";
import { ErrorBudgetFigures } from "./ErrorBudgetFigures";
import { ExpiredExceptions } from "./ExpiredExceptions";
import { HealthFigures } from "./HealthFigures";
import { OtherDropsInScope } from "./OtherDropsInScope";

interface Props {
  health: UseQueryResult<RolloutHealth>;
  rollout: RolloutDetail | undefined;
  /** The judged stage's seq (null: the current one) and how to pick another. */
  stage: number | null;
  onStage: (seq: number | null) => void;
}

export function HealthPanel({ health, rollout, stage, onStage }: Props) {
  const transitions = rollout?.transitions ?? [];
  return (
    <section className="panel" aria-label="Health">
      <header className="panel-header">
        <h2>Health</h2>
        {transitions.length > 1 && (
          <label className="select-label">
            judge stage
            <select value={stage ?? ""} onChange={(e) => onStage(e.target.value === "" ? null : Number(e.target.value))}>
              <option value="">current</option>
              {transitions.map((t) => (
                <option key={t.seq} value={t.seq}>
                  #{t.seq} {t.stage} · {formatTime(t.at)} UTC
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {health.isError ? (
        <ErrorState message={health.error.message} onRetry={() => void health.refetch()} />
      ) : !health.data ? (
        <Skeleton height={160} label="Judging the stage" />
      ) : (
        <HealthBody health={health.data} rollout={rollout} />
      )}
    </section>
  );
}

function HealthBody({ health, rollout }: { health: RolloutHealth; rollout: RolloutDetail | undefined }) {
  const f = health.figures;
  return (
    <div className="health">
      <p className="health-line">
        <VerdictBadge verdict={health.verdict} /> <GateBadge health={health} /> <StateBadge state={health.state} completedAt={health.completedAt} now={health.evaluatedAt} />
        {health.stage && (
          <span>
            <StageBadge stage={health.stage.stage} /> on {describeScope(health.stage)} since {formatTime(health.stage.at)} UTC
            {f ? ` (${formatMinutes(f.stageMinutes)})` : ""}
          </span>
        )}
        <span className="muted" title={health.evaluatedAt}>
          judged {formatUtcSince(health.evaluatedAt, health.evaluatedAt)}
        </span>
      </p>
      {health.verdict === "NOT_ENFORCED" && (
        <p className="theatre-note" role="note" data-testid="not-enforced">
          <strong>Policy not enforced:</strong> predicted paths still arrive as AUDIT. Gates fail this stage (<code>breached</code> is true) and promoting it needs a
          recorded override: is the policy still in audit mode?
        </p>
      )}
      <ul className="reasons" aria-label="Why">
        {health.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {f && (
        <>
          <HealthFigures
            health={health}
            figures={f}
            baselineSetting={{
              minutes: rollout?.baselineMinutes ?? null,
              anchoredOnEnforcing: (rollout?.transitions ?? []).some((t) => ENFORCING_STAGES.includes(t.stage)),
            }}
          />
          <ErrorBudgetFigures health={health} errors={f.errors} rollout={rollout} />
          {f.enforcement && <EnforcementProof enforcement={f.enforcement} stageAt={health.stage?.at ?? null} />}
          <ExpiredExceptions health={health} />
          <div className="health-extra">
            <OtherDropsInScope health={health} figures={f} />
            <CollectorLiveness clusters={f.clusters} now={health.evaluatedAt} />
          </div>
        </>
      )}
    </div>
  );
}

function StateBadge({ state, completedAt, now }: { state: RolloutState; completedAt: string | null; now: string }) {
  if (state === "COMPLETE") {
    return (
      <span className="state-badge state-complete" data-testid="rollout-state" title={completedAt ?? undefined}>
        complete — verdict final{completedAt ? ` · ${formatUtcSince(completedAt, now)}` : ""}
      </span>
    );
  }
  if (state === "ROLLED_BACK") {
    return (
      <span className="state-badge state-rolled-back" data-testid="rollout-state">
        rolled back — nothing enforced
      </span>
    );
  }
  return null;
}
