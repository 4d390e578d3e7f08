// A stage's health: only the drops this rollout can have caused, in the stage's scope since its
// transition, against a baseline that does not move, from clusters known to be reporting.
//
// - Drops a rollout can cause: policy reasons only (ingest/policyReasons.ts), on paths naming one
//   of its policies or none (a default deny: attributed to the rollout as "likely"). Paths naming
//   only other policies, and drops of other reasons, are shown beside the budget, never in it.
// - Newly enforced paths (dropped now, not dropped in the baseline) are expected when audit mode
//   predicted them (AUDIT in scope in the 30 days before the stage), else surprises; acknowledged
//   ones leave the budget and the rates.
// - Windows (rollouts/windows.ts): the fixed baseline before the first enforcing transition,
//   drops/min now over the last 15 whole minutes, ENFORCED frozen at the end of its soak.
// Every count comes from path rollups, so it is exact; a stage's finished hours are kept between
// polls while nothing changed them (sealedPathCounts.ts), so a poll reads the last hour.
import { livenessMinutes } from "../../config";
import { describeAttribution, type PathAttribution } from "../../rollouts/attribution";
import { ENFORCING_STAGES } from "../../rollouts/stages";
import { formatSince, increaseOver, judgeHealth, type BudgetUse, type ClusterReport, type HealthFigures, type HealthVerdict } from "../../rollouts/verdict";
import { readErrorSignal } from "../../rollouts/errorBudget";
import { stageWindows, wholeMinutes } from "../../rollouts/windows";
import { readCheckins } from "../clusters/getClusterCheckins";
import { toDropPathRow, type DropPathCountsRow, type DropPathRow } from "../drops/pathCounts";
import type { TimeRange } from "../timeRange";
import type { RolloutView, StageTransition } from "./getRollout";
import { exceptionsInForce, type Acknowledgement } from "./getExceptions";
import { namespacesInScope, resolveScope } from "./stageScope";
import { classifyStagePaths, keyOf, mostDropped } from "./classifyStagePaths";
import { describePaths, type ReasonCount, type StagePathNumbers } from "./getStagePathCounts";
import { getAuditSightings, getBaselinePaths, getOtherReasonsInScope, getStagePathNumbers, getStagePathParts } from "./sealedPathCounts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back an AUDIT sighting makes a newly enforced path "expected". */
export const PREDICTION_LOOKBACK_DAYS = 30;
const MAX_LISTED_PATHS = 200;
/** Predicted paths may still arrive as AUDIT this long after an enforcing transition (policies take a moment to apply). */
export const DEFAULT_ENFORCEMENT_GRACE_MINUTES = 10;
/** With no clusters named, the clusters heard from this long before the stage are the ones that must report. */
const KNOWN_CLUSTER_MS = DAY_MS;

export type { Acknowledgement };

export interface StagePath extends DropPathRow {
  acknowledgement: Acknowledgement | null;
  /** Whose drops these are: the rollout's policy, a default deny (likely the rollout), or other policies. */
  attribution: PathAttribution;
  attributionText: string;
}

/** ACTIVE: being judged; COMPLETE: ENFORCED past its soak, verdict final; ROLLED_BACK: nothing enforced. */
export type RolloutState = "NOT_STARTED" | "ACTIVE" | "COMPLETE" | "ROLLED_BACK";

export interface RolloutHealth {
  rolloutId: string;
  verdict: HealthVerdict;
  /** HEALTHY: a promotion gate's success condition. */
  healthy: boolean;
  /** BREACHED or NOT_ENFORCED: a promotion gate's failure condition (anything else but HEALTHY is inconclusive). */
  breached: boolean;
  reasons: string[];
  state: RolloutState;
  /** When the rollout completed (or would, once judged: ENFORCED's soak end). */
  completedAt: string | null;
  stage: StageTransition | null;
  /** The namespaces with drops that the stage's scope covers; null: every namespace. */
  scopeNamespaces: string[] | null;
  window: { from: string; to: string } | null;
  /** The last whole minutes "drops/min now" is read over. */
  nowWindow: { from: string; to: string } | null;
  baseline: { from: string; to: string } | null;
  figures: HealthFigures | null;
  budget: BudgetUse[];
  surprises: StagePath[];
  expected: StagePath[];
  acknowledged: StagePath[];
  /** Paths in scope whose drops name only other policies: shown, outside the budget. */
  otherPolicies: StagePath[];
  /** Reasons of the drops in scope that no policy causes. */
  otherReasons: ReasonCount[];
  /** Enforcing stages: predicted paths still arriving only as AUDIT after the grace period. */
  stillAudited: StagePath[];
  /** Exceptions that have expired on paths dropped in the stage: back in the budget. */
  expiredExceptions: (Acknowledgement & { path: string })[];
  evaluatedAt: string;
}

interface Liveness {
  /** Earliest check-in of the rollout's clusters: the baseline starts no earlier. */
  dataSince: Date | null;
  reports: ClusterReport[];
}

/** Which of the rollout's clusters are reporting now (named ones, or those heard from lately). */
async function liveness(rollout: RolloutView, stageStart: Date, now: Date): Promise<Liveness> {
  const checkins = await readCheckins(rollout.clusters.length > 0 ? rollout.clusters : undefined);
  const dataSince = checkins.reduce<Date | null>((min, c) => (min === null || c.firstSeenAt < min ? c.firstSeenAt : min), null);
  const fresh = now.getTime() - livenessMinutes() * MINUTE_MS;
  const names = rollout.clusters.length > 0 ? rollout.clusters : checkins.filter((c) => c.lastSeenAt.getTime() >= stageStart.getTime() - KNOWN_CLUSTER_MS).map((c) => c.cluster);
  const reports = names.map((cluster) => {
    const last = checkins.find((c) => c.cluster === cluster)?.lastSeenAt ?? null;
    return { cluster, lastSeenAt: last?.toISOString() ?? null, reporting: last !== null && last.getTime() >= fresh };
  });
  return { dataSince, reports: reports.length > 0 ? reports : [{ cluster: "any cluster", lastSeenAt: null, reporting: false }] };
}

function empty(rolloutId: string, reason: string, now: Date, state: RolloutState, stage: StageTransition | null = null): RolloutHealth {
  return {
    rolloutId, verdict: "INSUFFICIENT_DATA", healthy: false, breached: false, reasons: [reason], state, completedAt: null, stage,
    scopeNamespaces: null, window: null, nowWindow: null, baseline: null, figures: null, budget: [], surprises: [], expected: [],
    acknowledged: [], otherPolicies: [], otherReasons: [], stillAudited: [], expiredExceptions: [], evaluatedAt: now.toISOString(),
  };
}

const iso = (range: TimeRange) => ({ from: range.from.toISOString(), to: range.to.toISOString() });

/** Health of one stage (default: the current one) as of `now`. */
export async function getRolloutHealth(rollout: RolloutView, now: Date, stageSeq?: number): Promise<RolloutHealth> {
  const index = stageSeq === undefined ? rollout.transitions.length - 1 : rollout.transitions.findIndex((t) => t.seq === stageSeq);
  const stage = rollout.transitions[index];
  if (!stage) return empty(rollout.id, stageSeq === undefined ? "no stage recorded yet" : `no stage ${stageSeq}`, now, "NOT_STARTED");
  if (stage.stage === "ROLLED_BACK") return empty(rollout.id, "rolled back: nothing of this rollout is enforced", now, "ROLLED_BACK", stage);

  const live = await liveness(rollout, new Date(stage.at), now);
  const windows = stageWindows(rollout.transitions, index, now, { baselineMinutes: rollout.baselineMinutes, soakMinutes: rollout.soakMinutes, dataSince: live.dataSince });
  const soakOver = windows.soakEnd !== null && windows.soakEnd.getTime() <= now.getTime();
  const completed = rollout.completedAt !== null && stage === rollout.currentStage;
  // Liveness is judged for what is still moving, and for a soak about to complete (silence is not a clean soak).
  const judgeLiveness = (!windows.frozen || soakOver) && !completed && stage === rollout.currentStage;
  const scope = await resolveScope(stage);
  const window = { from: windows.start, to: new Date(Math.max(windows.end.getTime(), windows.start.getTime() + 1)) };

  const enforcing = ENFORCING_STAGES.includes(stage.stage);
  const graceMinutes = rollout.enforcementGraceMinutes ?? DEFAULT_ENFORCEMENT_GRACE_MINUTES;
  // Proof of enforcement reads the stage's last minutes once the grace period is over.
  const graceEnd = windows.start.getTime() + graceMinutes * MINUTE_MS;
  const enforcementJudged = enforcing && windows.end.getTime() > graceEnd;
  const enforcementWindow = { from: new Date(Math.max(graceEnd, windows.now.from.getTime())), to: window.to };
  const scopeNamespacesRead = namespacesInScope(rollout.clusters, scope);
  // The stage's rate window is its whole minutes ([start, floor(end))): read in the stage's own pass.
  const [current, overNow, before, audited, exceptions, otherReasons, scopeNamespaces, lately, errors] = await Promise.all([
    getStagePathParts(window, rollout.clusters, scope, { splitAt: windows.rate.to }, now),
    getStagePathNumbers(windows.now, rollout.clusters, scope, {}, now),
    getBaselinePaths(windows.baseline, rollout.clusters, scope, now),
    // Only AUDIT sightings predict: the rest of 30 days of paths is not read.
    getAuditSightings({ from: new Date(windows.start.getTime() - PREDICTION_LOOKBACK_DAYS * DAY_MS), to: windows.start }, rollout.clusters, scope, now),
    exceptionsInForce(rollout.id, now),
    getOtherReasonsInScope(window, rollout.clusters, scope, now),
    scopeNamespacesRead,
    enforcementJudged ? getStagePathNumbers(enforcementWindow, rollout.clusters, scope, {}, now) : Promise.resolve([]),
    // Prometheus is read at the stage's end itself (now), not at the last whole minute: its data is live.
    scopeNamespacesRead.then((namespaces) => readErrorSignal(rollout, namespaces, { from: windows.now.from, to: windows.end }, windows.baseline)),
  ]);

  const acks = exceptions.active;
  const classes = classifyStagePaths({ current, before, audited, lately }, rollout.policies, acks, enforcing);
  const { attribution, inBudget, predicted, inStage, stillAudited, surprises, expected, acknowledged, otherPolicies } = classes;

  // Exceptions that expired on paths dropped in this stage: back in the budget, and said so.
  const expired = [...exceptions.expired.entries()].flatMap(([key, exception]) => {
    const row = inStage(key);
    return row && row.count > 0 ? [{ exception, row }] : [];
  });

  // Only the listed paths (the most dropped of each kind) are described and become StagePaths.
  const top = (rows: StagePathNumbers[]) => mostDropped(rows, MAX_LISTED_PATHS);
  const lists = { surprises: top(surprises), expected: top(expected), acknowledged: top(acknowledged), otherPolicies: top(otherPolicies), stillAudited: top(stillAudited) };
  const descriptions = await describePaths([...Object.values(lists).flat(), ...expired.map((e) => e.row)]);
  const toStagePaths = (rows: StagePathNumbers[]): StagePath[] =>
    rows.flatMap((row) => {
      const description = descriptions.get(keyOf(row));
      if (!description) return [];
      return [{
        ...toDropPathRow({ ...description, count: row.count, dropped: row.dropped, audit: row.audit }, windows.start),
        acknowledgement: acks.get(keyOf(row)) ?? null,
        attribution: attribution(row),
        attributionText: describeAttribution(attribution(row), rollout),
      }];
    });
  const expiredExceptions = expired.flatMap(({ exception, row }) => {
    const description = descriptions.get(keyOf(row));
    return description ? [{ ...exception, path: describePath(description) }] : [];
  });

  const rateMinutes = wholeMinutes(windows.rate);
  const nowMinutes = wholeMinutes(windows.now);
  const baselineMinutes = wholeMinutes(windows.baseline);
  const baselineDrops = classes.baselineDrops;
  const baselineRatePerMin = baselineMinutes > 0 ? baselineDrops / baselineMinutes : 0;
  const currentRatePerMin = nowMinutes > 0 ? overNow.reduce((total, row) => (inBudget(row) ? total + row.count : total), 0) / nowMinutes : null;
  const figures: HealthFigures = {
    stageMinutes: windows.stageMinutes,
    baselineMinutes,
    currentDrops: classes.stage.drops,
    stageRatePerMin: rateMinutes > 0 ? classes.stage.beforeSplit / rateMinutes : null,
    currentRatePerMin,
    nowWindowMinutes: nowMinutes,
    baselineDrops,
    baselineRatePerMin,
    extraDropsPerMin: currentRatePerMin === null ? null : currentRatePerMin - baselineRatePerMin,
    increasePct: currentRatePerMin === null ? null : increaseOver(currentRatePerMin, baselineRatePerMin),
    newPaths: surprises.length + expected.length,
    surprises: surprises.length,
    expected: expected.length,
    acknowledged: acknowledged.length,
    defaultDenyDrops: classes.stage.defaultDeny,
    otherPolicyDrops: classes.stage.otherPolicies,
    otherReasonDrops: classes.stage.otherReasons,
    clusters: judgeLiveness ? live.reports : [],
    enforcement: enforcing
      ? { predicted: predicted.size, enforced: classes.predictedEnforced, stillAudited: stillAudited.length, notSeen: predicted.size - classes.predictedSeen, graceMinutes, judged: enforcementJudged }
      : null,
    errors,
  };
  const judgement = judgeHealth(figures, rollout.budget, now);
  // A soak completes only a stage that passed it: healthy, or at risk within budget.
  const state: RolloutState = completed || (soakOver && (judgement.verdict === "HEALTHY" || judgement.verdict === "AT_RISK")) ? "COMPLETE" : "ACTIVE";
  const reasons = [
    ...(state === "COMPLETE" && windows.soakEnd ? [`complete: ENFORCED ran its soak to ${formatSince(windows.soakEnd.toISOString(), now)}; this verdict is final`] : []),
    ...judgement.reasons,
    ...expiredExceptions.map((e) => `the exception for ${e.path} expired at ${formatSince(e.expiresAt ?? "", now)} (owner ${e.owner}: ${e.reason}): it counts again`),
  ];
  return {
    rolloutId: rollout.id,
    verdict: judgement.verdict,
    healthy: judgement.verdict === "HEALTHY",
    breached: judgement.verdict === "BREACHED" || judgement.verdict === "NOT_ENFORCED",
    reasons,
    state,
    completedAt: state === "COMPLETE" ? (rollout.completedAt ?? windows.soakEnd?.toISOString() ?? null) : null,
    stage,
    scopeNamespaces,
    window: { from: windows.start.toISOString(), to: windows.end.toISOString() },
    nowWindow: iso(windows.now),
    baseline: iso(windows.baseline),
    figures,
    budget: judgement.budget,
    surprises: toStagePaths(lists.surprises),
    expected: toStagePaths(lists.expected),
    acknowledged: toStagePaths(lists.acknowledged),
    otherPolicies: toStagePaths(lists.otherPolicies),
    otherReasons,
    stillAudited: toStagePaths(lists.stillAudited),
    expiredExceptions,
    evaluatedAt: now.toISOString(),
  };
}

function describePath(row: Pick<DropPathCountsRow, "src_namespace" | "src_workload" | "dst_namespace" | "dst_workload" | "dst_port" | "protocol">): string {
  return `${row.src_namespace ?? "?"}/${row.src_workload ?? "?"} → ${row.dst_namespace ?? "?"}/${row.dst_workload ?? "?"}:${row.dst_port ?? "-"}/${row.protocol}`;
}

