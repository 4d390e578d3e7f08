// One figure of a stage's health: a value with its unit, a note, the exact value in the tooltip,
// and, for a budgeted figure, how much of the budget it uses.
import type { ReactNode } from "react";
import type { BudgetUse } from "@/lib/rollouts/verdict";
import { formatExact } from "../ui/format";

const STATE_TEXT: Record<BudgetUse["state"], string> = { ok: "within budget", at_risk: "over half the budget", breached: "over budget" };

export function Figure({ label, value, unit, budgetUnit = unit, formatBudget, note, exact, use, testId }: {
  label: string;
  value: string;
  unit?: string;
  /** The unit of the budget's limit (default: the value's). */
  budgetUnit?: string;
  /** How the budget's limit and value read (default: the number with `budgetUnit`), e.g. a ratio as a percentage. */
  formatBudget?: (n: number) => string;
  note?: ReactNode;
  /** The exact figure, shown as the tooltip. */
  exact?: string;
  use?: BudgetUse;
  testId?: string;
}) {
  // A figure below its baseline (a negative change) uses none of the budget.
  const used = use ? (Number.isFinite(use.used) ? Math.max(0, Math.min(1, use.used)) : 1) : 0;
  const limitText = (limit: number) =>
    formatBudget ? formatBudget(limit) : budgetUnit === "%" ? `+${formatExact(limit)}%` : `${formatExact(limit)}${budgetUnit ? ` ${budgetUnit}` : ""}`;
  const valueText = (n: number | null) => (n === null ? "n/a" : formatBudget ? formatBudget(n) : formatExact(n));
  return (
    <div className="figure" title={exact}>
      <span className="label">{label}</span>
      <span className="value" data-testid={testId}>
        {value}
        {unit && value !== "n/a" && <span className="unit"> {unit}</span>}
      </span>
      {note && <span className="muted figure-note">{note}</span>}
      {use && (
        <>
          <span className="muted figure-note" title={`${valueText(use.value)} of ${formatBudget ? formatBudget(use.limit) : formatExact(use.limit)} (${Number.isFinite(use.used) ? `${formatExact(use.used * 100)}%` : "any over a budget of 0"})`}>
            budget {limitText(use.limit)} · <span className={`budget-${use.state}`}>{STATE_TEXT[use.state]}</span>
          </span>
          <span
            className="meter"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={1}
            aria-valuenow={used}
            aria-valuetext={`${Number.isFinite(use.used) ? `${Math.round(Math.max(0, use.used) * 100)}%` : "over"} of the budget: ${STATE_TEXT[use.state]}`}
            aria-label={`${label} against its budget`}
          >
            <span className={`meter-${use.state}`} style={{ width: `${used * 100}%` }} />
          </span>
        </>
      )}
    </div>
  );
}
