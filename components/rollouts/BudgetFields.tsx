// The budget part of a rollout form, shared by the new-rollout form and the rollout's settings.
import type { Budget } from "@/lib/rollouts/verdict";

const numberOrNull = (value: FormDataEntryValue | null) => (value === null || String(value).trim() === "" ? null : Number(value));

/** The budget and baseline a form holds; an empty field is "no limit" (or "auto" for the baseline). */
export function budgetFromForm(form: FormData): { budget: Budget; baselineMinutes: number | null } {
  return {
    budget: {
      maxNewPaths: numberOrNull(form.get("maxNewPaths")),
      maxExtraDropsPerMin: numberOrNull(form.get("maxExtraDropsPerMin")),
      maxIncreasePct: numberOrNull(form.get("maxIncreasePct")),
    },
    baselineMinutes: numberOrNull(form.get("baselineMinutes")),
  };
}

export function BudgetFields({ budget, baselineMinutes }: { budget: Budget; baselineMinutes: number | null }) {
  return (
    <>
      <label title="Drop paths never seen as AUDIT before; acknowledged ones excluded">
        Max surprise paths
        <input type="number" name="maxNewPaths" min={0} defaultValue={budget.maxNewPaths ?? ""} placeholder="no limit" />
      </label>
      <label>
        Max extra drops/min
        <input type="number" name="maxExtraDropsPerMin" min={0} step="any" defaultValue={budget.maxExtraDropsPerMin ?? ""} placeholder="no limit" />
      </label>
      <label>
        Max increase %
        <input type="number" name="maxIncreasePct" min={0} step="any" defaultValue={budget.maxIncreasePct ?? ""} placeholder="no limit" />
      </label>
      <label title="Default: as long as the stage so far, at most 24 h">
        Baseline window (minutes)
        <input type="number" name="baselineMinutes" min={1} defaultValue={baselineMinutes ?? ""} placeholder="auto" />
      </label>
    </>
  );
}
