// The verdict on a stage's health from its figures and the rollout's budget. Pure, so the
// boundaries (exactly at the budget, just over half of it) are tested without a database.
//
// The rules, in order (README, "Rollouts"):
// 1. A surprise drop path over budget breaches at once: it is a fact however young the stage.
// 2. Too young a stage (rates mean nothing yet) or a cluster in scope not reporting: INSUFFICIENT_DATA.
//    Silence is not health: a stopped collector makes every rate fall.
// 3. A rate or error budget exceeded: BREACHED.
// 4. Predicted paths still arriving only as AUDIT past the grace period of an enforcing stage:
//    NOT_ENFORCED (policy that is not enforced is theatre; gates fail it).
// 5. The error budget's signal unavailable (Prometheus down, the query empty): INSUFFICIENT_DATA.
// 6. Over half of any budget used: AT_RISK. 7. Else HEALTHY.
export const HEALTH_VERDICTS = ["HEALTHY", "AT_RISK", "BREACHED", "INSUFFICIENT_DATA", "NOT_ENFORCED"] as const;
export type HealthVerdict = (typeof HEALTH_VERDICTS)[number];

/** Health needs this long since the transition before rate figures mean anything. */
export const MIN_STAGE_MINUTES = 5;
/** "Drops/min now" is the rate over this many whole minutes (or the stage so far, if shorter). */
export const NOW_WINDOW_MINUTES = 15;
/**
 * `maxIncreasePct` is measured against at least this baseline rate (drops/min), so it is defined
 * over a zero baseline too: from 0 to 3 drops/min is +300%, from 10 to 13 is +30%.
 */
export const INCREASE_FLOOR_PER_MIN = 1;

export interface Budget {
  /** Surprise drop paths (never seen as AUDIT), acknowledged ones excluded. */
  maxNewPaths: number | null;
  maxExtraDropsPerMin: number | null;
  maxIncreasePct: number | null;
  /** The applications' error ratio now (0..1), from the rollout's error query. */
  maxErrorRatio?: number | null;
  /** Its increase over the baseline's error ratio, in %. */
  maxErrorIncreasePct?: number | null;
}

/** The error ratio is compared with at least this baseline (0.1%), so its increase is defined over a zero baseline. */
export const ERROR_RATIO_FLOOR = 0.001;

/** The application error budget's signal (Prometheus), as health read it. */
export interface ErrorSignal {
  /** ok: read; unavailable: Prometheus unreachable, an error, or no data (never a silent pass). */
  status: "ok" | "unavailable";
  ratio: number | null;
  baselineRatio: number | null;
  increasePct: number | null;
  /** Why it is unavailable, or what was read. */
  detail: string;
  /** The query as sent (placeholders filled). */
  query: string;
}

/** Proof that an enforcing stage enforces: the paths audit mode predicted, as they arrive now. */
export interface EnforcementFigure {
  predicted: number;
  /** Arriving as DROPPED in the stage. */
  enforced: number;
  /** Still arriving only as AUDIT after the grace period. */
  stillAudited: number;
  /** Not seen since the stage began (their source may have stopped, or the policy works). */
  notSeen: number;
  graceMinutes: number;
  /** False until the stage is older than the grace period. */
  judged: boolean;
}

export interface ClusterReport {
  cluster: string;
  /** When its collector last checked in (any record or a heartbeat); null: never. */
  lastSeenAt: string | null;
  reporting: boolean;
}

export interface HealthFigures {
  /** Minutes since the stage began (to its end, or now). */
  stageMinutes: number;
  /** Whole minutes of the fixed baseline actually read (it starts no earlier than the first data). */
  baselineMinutes: number;
  /** Policy drops in budget since the stage began, and per minute on average. */
  currentDrops: number;
  stageRatePerMin: number | null;
  /** Drops/min now: the last NOW_WINDOW_MINUTES whole minutes of the stage (what rate budgets judge). */
  currentRatePerMin: number | null;
  nowWindowMinutes: number;
  baselineDrops: number;
  baselineRatePerMin: number;
  /** currentRatePerMin - baselineRatePerMin. */
  extraDropsPerMin: number | null;
  /** Change of the current rate against max(baseline, INCREASE_FLOOR_PER_MIN), in %. */
  increasePct: number | null;
  newPaths: number;
  surprises: number;
  expected: number;
  acknowledged: number;
  /** Of the drops in budget: those on paths that name no policy (default deny), likely this rollout's doing. */
  defaultDenyDrops: number;
  /** Drops in scope outside the budget: policy drops naming only other policies... */
  otherPolicyDrops: number;
  /** ...and drops whose reason no policy causes (conntrack, kernel, routing). */
  otherReasonDrops: number;
  /** The rollout's clusters and whether each is reporting; empty when not judged (a past stage). */
  clusters: ClusterReport[];
  /** null outside enforcing stages. */
  enforcement: EnforcementFigure | null;
  /** null when the rollout has no error budget. */
  errors: ErrorSignal | null;
}

export interface BudgetUse {
  name: "newPaths" | "extraDropsPerMin" | "increasePct" | "errorRatio" | "errorIncreasePct";
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
  extraDropsPerMin: (u) => `${round(u.value ?? 0)} extra drops/min over baseline (last ${NOW_WINDOW_MINUTES} min), budget ${u.limit}`,
  increasePct: (u) =>
    `drop rate ${u.value === null ? "n/a" : `${u.value >= 0 ? "+" : ""}${round(u.value)}%`} vs baseline (last ${NOW_WINDOW_MINUTES} min), budget +${u.limit}%`,
  errorRatio: (u) => `application error ratio ${percent(u.value ?? 0)} (last ${NOW_WINDOW_MINUTES} min), budget ${percent(u.limit)}`,
  errorIncreasePct: (u) =>
    `application error ratio ${u.value === null ? "n/a" : `${u.value >= 0 ? "+" : ""}${round(u.value)}%`} vs baseline, budget +${u.limit}%`,
};

const percent = (ratio: number) => `${round(ratio * 100)}%`;

export const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** "10:42 UTC" today, else "2026-11-30 10:42 UTC". */
export function formatSince(iso: string, now: Date): string {
  const hhmm = iso.slice(11, 16);
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? `${hhmm} UTC` : `${iso.slice(0, 10)} ${hhmm} UTC`;
}

/** The increase of a rate over a baseline, in %, against the floor (defined over a zero baseline). */
export function increaseOver(current: number, baseline: number): number {
  return ((current - baseline) / Math.max(baseline, INCREASE_FLOOR_PER_MIN)) * 100;
}

export function judgeHealth(figures: HealthFigures, budget: Budget, now: Date): Judgement {
  const paths = budgetUse("newPaths", figures.surprises, budget.maxNewPaths);
  const extra = budgetUse("extraDropsPerMin", figures.extraDropsPerMin === null ? null : Math.max(0, figures.extraDropsPerMin), budget.maxExtraDropsPerMin);
  const increase = budgetUse("increasePct", figures.increasePct, budget.maxIncreasePct);
  const errors = figures.errors;
  const errorsRead = errors?.status === "ok";
  const errorRatio = errorsRead ? budgetUse("errorRatio", errors.ratio, budget.maxErrorRatio ?? null) : null;
  const errorIncrease = errorsRead && errors.increasePct !== null ? budgetUse("errorIncreasePct", Math.max(0, errors.increasePct), budget.maxErrorIncreasePct ?? null) : null;
  const uses = [paths, extra, increase, errorRatio, errorIncrease].filter((u): u is BudgetUse => u !== null);

  if (paths?.state === "breached") return { verdict: "BREACHED", reasons: [LABELS.newPaths(paths)], budget: uses };
  if (figures.stageMinutes < MIN_STAGE_MINUTES) {
    return {
      verdict: "INSUFFICIENT_DATA",
      reasons: [`the stage began ${round(figures.stageMinutes)} min ago; drop rates need at least ${MIN_STAGE_MINUTES} min`],
      budget: uses,
    };
  }
  const silent = figures.clusters.filter((c) => !c.reporting);
  if (silent.length > 0) {
    return {
      verdict: "INSUFFICIENT_DATA",
      reasons: silent.map((c) => (c.lastSeenAt ? `no data from ${c.cluster} since ${formatSince(c.lastSeenAt, now)}` : `no data from ${c.cluster} yet`)),
      budget: uses,
    };
  }
  const breached = uses.filter((u) => u.state === "breached");
  if (breached.length > 0) return { verdict: "BREACHED", reasons: breached.map((u) => LABELS[u.name](u)), budget: uses };
  const enforcement = figures.enforcement;
  if (enforcement?.judged && enforcement.stillAudited > 0) {
    return {
      verdict: "NOT_ENFORCED",
      reasons: [
        `${enforcement.stillAudited} of ${enforcement.predicted} predicted drop path(s) still arrive only as AUDIT ${enforcement.graceMinutes} min after enforcement began: is the policy still in audit mode?`,
      ],
      budget: uses,
    };
  }
  const errorBudgetSet = (budget.maxErrorRatio ?? null) !== null || (budget.maxErrorIncreasePct ?? null) !== null;
  if (errorBudgetSet && errors !== null && errors.status === "unavailable") {
    return { verdict: "INSUFFICIENT_DATA", reasons: [`error budget: ${errors.detail}`], budget: uses };
  }
  if (errorBudgetSet && errorsRead && (budget.maxErrorIncreasePct ?? null) !== null && errors.increasePct === null) {
    return { verdict: "INSUFFICIENT_DATA", reasons: [`error budget: no baseline error ratio to compare with (${errors.detail})`], budget: uses };
  }
  const atRisk = uses.filter((u) => u.state === "at_risk");
  if (atRisk.length > 0) return { verdict: "AT_RISK", reasons: atRisk.map((u) => `over half the budget: ${LABELS[u.name](u)}`), budget: uses };
  return {
    verdict: "HEALTHY",
    reasons: uses.length > 0 ? uses.map((u) => LABELS[u.name](u)) : ["no budget set: every figure is within it"],
    budget: uses,
  };
}
