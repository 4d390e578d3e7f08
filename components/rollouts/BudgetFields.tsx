// The budget part of a rollout form, shared by the new-rollout form and the rollout's settings:
// the budget itself, the fixed baseline's length and the ENFORCED soak.
import { useId } from "react";
import type { Budget } from "@/lib/rollouts/verdict";

const numberOrNull = (value: FormDataEntryValue | null) => (value === null || String(value).trim() === "" ? null : Number(value));

export interface BudgetSettings {
  budget: Budget;
  baselineMinutes: number | null;
  soakMinutes: number | null;
}

/** The budget and windows a form holds; an empty field is "no limit" (or the 24 h default for a window). */
export function budgetFromForm(form: FormData): BudgetSettings {
  return {
    budget: {
      maxNewPaths: numberOrNull(form.get("maxNewPaths")),
      maxExtraDropsPerMin: numberOrNull(form.get("maxExtraDropsPerMin")),
      maxIncreasePct: numberOrNull(form.get("maxIncreasePct")),
    },
    baselineMinutes: numberOrNull(form.get("baselineMinutes")),
    soakMinutes: numberOrNull(form.get("soakMinutes")),
  };
}

export function BudgetFields({ budget, baselineMinutes, soakMinutes }: BudgetSettings) {
  const id = useId();
  return (
    <>
      <label title="Drop paths never seen as AUDIT before; acknowledged ones excluded">
        Max surprise paths
        <input type="number" name="maxNewPaths" min={0} defaultValue={budget.maxNewPaths ?? ""} placeholder="no limit" />
      </label>
      <label title="Drops/min now (last 15 min) minus the baseline's drops/min">
        Max extra drops/min
        <input type="number" name="maxExtraDropsPerMin" min={0} step="any" defaultValue={budget.maxExtraDropsPerMin ?? ""} placeholder="no limit" />
      </label>
      <label title="Drops/min now (last 15 min) against the baseline's, in %">
        Max increase %
        <input type="number" name="maxIncreasePct" min={0} step="any" defaultValue={budget.maxIncreasePct ?? ""} placeholder="no limit" />
      </label>
      <label>
        Baseline (minutes)
        <input type="number" name="baselineMinutes" min={1} max={7 * 24 * 60} defaultValue={baselineMinutes ?? ""} placeholder="1440 (24 h)" aria-describedby={`${id}-baseline`} />
        <span className="field-hint" id={`${id}-baseline`}>
          fixed baseline length before the first enforcing transition; default 24 h
        </span>
      </label>
      <label>
        Soak (minutes)
        <input type="number" name="soakMinutes" min={1} max={30 * 24 * 60} defaultValue={soakMinutes ?? ""} placeholder="1440 (24 h)" aria-describedby={`${id}-soak`} />
        <span className="field-hint" id={`${id}-soak`}>
          ENFORCED runs this long before the rollout completes; default 24 h
        </span>
      </label>
    </>
  );
}
