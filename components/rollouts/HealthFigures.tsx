// The figures behind a verdict: drops/min now against the since-stage average and the fixed
// baseline, the budgeted figures with their meters, and the paths the stage newly enforces.
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import type { BudgetUse, HealthFigures as Figures } from "@/lib/rollouts/verdict";
import { formatCount, formatExact, formatMinutes, formatPct, formatRate, formatTime } from "../ui/format";
import { Figure } from "./Figure";

const hhmm = (iso: string) => formatTime(iso, false);
const exactRate = (rate: number | null, minutes: number) =>
  rate === null ? "no whole minute to read yet" : `${formatExact(rate)} drops/min over ${formatCount(minutes)} whole minute(s)`;

export interface BaselineSetting {
  /** The rollout's baseline length (null: the 24 h default). */
  minutes: number | null;
  /** Whether any transition enforced yet (the baseline ends at the first that did, else at the first transition). */
  anchoredOnEnforcing: boolean;
}

export function HealthFigures({ health, figures: f, baselineSetting }: { health: RolloutHealth; figures: Figures; baselineSetting: BaselineSetting }) {
  const budget = (name: BudgetUse["name"]) => health.budget.find((b) => b.name === name);
  const configured = baselineSetting.minutes ?? 24 * 60;
  const anchor = baselineSetting.anchoredOnEnforcing ? "the first enforcing transition" : "the first transition";
  const shortBaseline = f.baselineMinutes < configured;
  return (
    <div aria-label="Figures">
      <h3 className="subhead">Drop rate · policy drops this rollout can have caused</h3>
      <div className="figures figures-4">
        <Figure
          label="drops/min now"
          value={formatRate(f.currentRatePerMin)}
          unit="drops/min"
          testId="rate-now"
          exact={exactRate(f.currentRatePerMin, f.nowWindowMinutes)}
          note={
            health.nowWindow && f.nowWindowMinutes > 0
              ? `last ${formatMinutes(f.nowWindowMinutes)} · ${hhmm(health.nowWindow.from)}–${hhmm(health.nowWindow.to)} UTC`
              : "no whole minute of the stage yet"
          }
        />
        <Figure
          label="since-stage average"
          value={formatRate(f.stageRatePerMin)}
          unit="drops/min"
          testId="rate-stage"
          exact={`${f.stageRatePerMin === null ? "n/a" : `${formatExact(f.stageRatePerMin)} drops/min`}; ${formatExact(f.currentDrops)} drops in ${formatExact(f.stageMinutes)} min`}
          note={`${formatCount(f.currentDrops)} drops in ${formatMinutes(f.stageMinutes)}`}
        />
        <Figure
          label="baseline (fixed)"
          value={formatRate(f.baselineRatePerMin)}
          unit="drops/min"
          testId="rate-baseline"
          exact={`${formatExact(f.baselineRatePerMin)} drops/min: ${formatExact(f.baselineDrops)} drops over ${formatCount(f.baselineMinutes)} min read${health.baseline ? `, ${health.baseline.from} → ${health.baseline.to}` : ""}`}
          note={
            <>
              {formatMinutes(configured)} before {anchor}
              {shortBaseline ? ` (only ${formatMinutes(f.baselineMinutes)} had data)` : ""}
              <br />
              {health.baseline && `${formatTime(health.baseline.from).slice(5)} → ${formatTime(health.baseline.to).slice(5)} UTC · `}
              {formatCount(f.baselineDrops)} drops
            </>
          }
        />
        <Figure
          label="of which default deny"
          value={formatCount(f.defaultDenyDrops)}
          unit="drops"
          testId="default-deny-drops"
          exact={`${formatExact(f.defaultDenyDrops)} of ${formatExact(f.currentDrops)} drops in budget name no policy`}
          note="of the drops since the stage began: name no policy, likely this rollout"
        />
      </div>
      <h3 className="subhead">Against the budget</h3>
      <div className="figures figures-4">
        <Figure label="surprise paths" value={formatCount(f.surprises)} unit={f.surprises === 1 ? "path" : "paths"} budgetUnit="paths" exact={`${f.surprises} newly enforced path(s) audit mode never predicted`} use={budget("newPaths")} />
        <Figure
          label="change vs baseline"
          value={formatPct(f.increasePct)}
          exact={f.increasePct === null ? "n/a: no drops/min now yet" : `${formatExact(f.increasePct)}% (drops/min now against the baseline, at least 1 drop/min)`}
          note={f.increasePct === null ? "n/a until a whole minute is read" : `now vs baseline (last ${formatMinutes(f.nowWindowMinutes)})`}
          budgetUnit="%"
          use={budget("increasePct")}
        />
        <Figure
          label="extra drops/min"
          value={f.extraDropsPerMin === null ? "n/a" : `${f.extraDropsPerMin > 0 ? "+" : ""}${formatRate(f.extraDropsPerMin)}`}
          unit="drops/min"
          exact={f.extraDropsPerMin === null ? "n/a" : `${formatExact(f.extraDropsPerMin)} drops/min over the baseline`}
          note="now minus baseline"
          use={budget("extraDropsPerMin")}
        />
        <Figure
          label="expected / acknowledged"
          value={`${formatCount(f.expected)} / ${formatCount(f.acknowledged)}`}
          unit="paths"
          exact={`${f.expected} expected (predicted by AUDIT), ${f.acknowledged} acknowledged (out of the budget)`}
          note="newly enforced, predicted / known noise"
        />
      </div>
    </div>
  );
}
