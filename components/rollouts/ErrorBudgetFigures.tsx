// The application error budget beside the drops: the error ratio now and in the fixed baseline
// (from the rollout's PromQL query), the change, and the budget's meters. When Prometheus cannot
// answer, the signal is unavailable and says why, prominently: that is INSUFFICIENT_DATA, never a pass.
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { NOW_WINDOW_MINUTES, type BudgetUse, type ErrorSignal } from "@/lib/rollouts/verdict";
import { formatExact, formatMinutes, formatPct } from "../ui/format";
import { Figure } from "./Figure";
import { exactRatio, formatRatioPct } from "./ratioFormat";

interface Props {
  health: RolloutHealth;
  errors: ErrorSignal | null;
  rollout: RolloutDetail | undefined;
}

export function ErrorBudgetFigures({ health, errors, rollout }: Props) {
  const limits = rollout ? rollout.budget.maxErrorRatio != null || rollout.budget.maxErrorIncreasePct != null : false;
  if (errors === null) {
    return rollout && !rollout.errorQuery ? (
      <p className="muted figure-note error-budget-none">
        No application error budget: set an error query (PromQL) in <a href="#settings">the settings below</a> to judge what the applications in scope see, too.
      </p>
    ) : null;
  }
  const budget = (name: BudgetUse["name"]) => health.budget.find((b) => b.name === name);
  const baselineMinutes = health.figures?.baselineMinutes ?? 0;
  return (
    <div aria-label="Application error budget">
      <h3 className="subhead">Application error budget · what the applications in scope see</h3>
      {errors.status === "unavailable" ? (
        <div className="signal-unavailable" role="note" data-testid="error-budget-unavailable">
          <p>
            <strong>Error ratio unavailable:</strong> {errors.detail}.
          </p>
          <p className="figure-note">
            {limits
              ? "This signal is INSUFFICIENT_DATA until Prometheus answers with a number: an unread error budget is never a pass."
              : "No error limit is set, so the verdict does not wait for it; it is shown so that a missing signal is not mistaken for a clean one."}
          </p>
        </div>
      ) : (
        <div className="figures figures-4">
          <Figure
            label="error ratio now"
            value={formatRatioPct(errors.ratio)}
            testId="error-ratio-now"
            exact={errors.ratio === null ? "n/a" : `${exactRatio(errors.ratio)} over the last ${NOW_WINDOW_MINUTES} min`}
            note={`last ${NOW_WINDOW_MINUTES} min, worst series`}
            formatBudget={formatRatioPct}
            use={budget("errorRatio")}
          />
          <Figure
            label="baseline error ratio (fixed)"
            value={formatRatioPct(errors.baselineRatio)}
            testId="error-ratio-baseline"
            exact={errors.baselineRatio === null ? errors.detail : `${exactRatio(errors.baselineRatio)} over the baseline's ${formatExact(baselineMinutes)} min`}
            note={errors.baselineRatio === null ? errors.detail : `over the fixed baseline (${formatMinutes(baselineMinutes)})`}
          />
          <Figure
            label="error change vs baseline"
            value={formatPct(errors.increasePct)}
            testId="error-increase"
            exact={errors.increasePct === null ? "n/a: no baseline error ratio" : `${formatExact(errors.increasePct)}% (against at least 0.1%)`}
            note="now vs baseline, against at least 0.1%"
            budgetUnit="%"
            use={budget("errorIncreasePct")}
          />
          <div className="figure">
            <span className="label">limits</span>
            <span className="figure-note">
              {limits ? (
                <>
                  {rollout?.budget.maxErrorRatio != null && <>ratio ≤ {formatRatioPct(rollout.budget.maxErrorRatio)}</>}
                  {rollout?.budget.maxErrorRatio != null && rollout.budget.maxErrorIncreasePct != null && " · "}
                  {rollout?.budget.maxErrorIncreasePct != null && <>increase ≤ +{formatExact(rollout.budget.maxErrorIncreasePct)}%</>}
                </>
              ) : (
                <span className="muted">none set: shown, not judged</span>
              )}
            </span>
          </div>
        </div>
      )}
      <details className="query-details">
        <summary>Query as sent to Prometheus</summary>
        <pre>{errors.query}</pre>
      </details>
    </div>
  );
}
