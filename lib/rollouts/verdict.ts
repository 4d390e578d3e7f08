// The verdict on a stage's health from its figures and the rollout's budget. Pure, so the
// boundaries (exactly at the budget, just over half of it) are tested without a database.
export const HEALTH_VERDICTS = ["HEALTHY", "AT_RISK", "BREACHED", "INSUFFICIENT_DATA"] as const;
export type HealthVerdict = (typeof HEALTH_VERDICTS)[number];

/** Health needs this long since the transition before rate figures mean anything. */
export const MIN_STAGE_MINUTES = 5;

export interface Budget {
  /** Surprise drop paths (never seen as AUDIT), acknowledged ones excluded. */
  maxNewPaths: number | null;
  maxExtraDropsPerMin: number | null;
  maxIncreasePct: number | null;
}

export interface HealthFigures {
  stageMinutes: number;
  baselineMinutes: number;
  currentDrops: number;
  baselineDrops: number;
  currentRatePerMin: number;
  baselineRatePerMin: number;
  extraDropsPerMin: number;
  /** null when the baseline had no drops (a % of nothing is undefined). */
  increasePct: number | null;
  newPaths: number;
  surprises: number;
  expected: number;
  acknowledged: number;
  /** Any drop arrived from the rollout's clusters (any namespace) since the stage began: is anything reporting? */
  clustersReporting: boolean;
}

export interface BudgetUse {
  name: "newPaths" | "extraDropsPerMin" | "increasePct";
  value: number | null;
  limit: number;
  /** value / limit; Infinity when the limit is 0 and the value is not. */
  used: number;
  state: "ok" | "at_risk" | "breached";
}

export interface Judgement {
  verdict: HealthVerdict;
  /** Why, in words: the figures that decided it. */
  reasons: string[];
  budget: BudgetUse[];
}

function budgetUse(name: BudgetUse["name"], value: number | null, limit: number | null): BudgetUse | null {
  if (limit === null) return null;
  const v = value ?? 0;
  const used = limit === 0 ? (v > 0 ? Infinity : 0) : v / limit;
  // At exactly the budget is within it; over half of it is at risk.
  const state = v > limit ? "breached" : used > 0.5 ? "at_risk" : "ok";
  return { name, value, limit, used, state };
}

const LABELS: Record<BudgetUse["name"], (u: BudgetUse) => string> = {
  newPaths: (u) => `${u.value} surprise drop path(s), budget ${u.limit}`,
  extraDropsPerMin: (u) => `${round(u.value ?? 0)} extra drops/min over baseline, budget ${u.limit}`,
  increasePct: (u) => `drop rate ${u.value === null ? "n/a" : `${u.value >= 0 ? "+" : ""}${round(u.value)}%`} vs baseline, budget +${u.limit}%`,
};

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

export function judgeHealth(figures: HealthFigures, budget: Budget): Judgement {
  const paths = budgetUse("newPaths", figures.surprises, budget.maxNewPaths);
  const extra = budgetUse("extraDropsPerMin", Math.max(0, figures.extraDropsPerMin), budget.maxExtraDropsPerMin);
  const increase = budgetUse("increasePct", figures.increasePct, budget.maxIncreasePct);
  const uses = [paths, extra, increase].filter((u): u is BudgetUse => u !== null);

  // A surprise is a fact as soon as it happens: it breaches however young the stage is.
  if (paths?.state === "breached") return { verdict: "BREACHED", reasons: [LABELS.newPaths(paths)], budget: uses };
  if (figures.stageMinutes < MIN_STAGE_MINUTES) {
    return {
      verdict: "INSUFFICIENT_DATA",
      reasons: [`the stage began ${round(figures.stageMinutes)} min ago; drop rates need at least ${MIN_STAGE_MINUTES} min`],
      budget: uses,
    };
  }
  if (!figures.clustersReporting) {
    return {
      verdict: "INSUFFICIENT_DATA",
      reasons: ["no drops at all have arrived from the rollout's clusters since the stage began: is a collector sending?"],
      budget: uses,
    };
  }
  const breached = uses.filter((u) => u.state === "breached");
  if (breached.length > 0) return { verdict: "BREACHED", reasons: breached.map((u) => LABELS[u.name](u)), budget: uses };
  const atRisk = uses.filter((u) => u.state === "at_risk");
  if (atRisk.length > 0) return { verdict: "AT_RISK", reasons: atRisk.map((u) => `over half the budget: ${LABELS[u.name](u)}`), budget: uses };
  return {
    verdict: "HEALTHY",
    reasons: uses.length > 0 ? uses.map((u) => LABELS[u.name](u)) : ["no budget set: every figure is within it"],
    budget: uses,
  };
}
