// A stage's health: the drops in its scope since the transition against a baseline window just
// before it, the drop paths it newly enforces (expected: seen as AUDIT in scope before; surprise:
// never predicted; acknowledged: known noise), and the verdict against the rollout's budget.
// Every count comes from path rollups (minute/hour/day segments), so it is exact and cheap to poll.
import { getPool } from "../../db/pool";
import { isWholeCluster, scopeCondition, type NamespaceClassPatterns, type Scope } from "../../rollouts/scope";
import { ENFORCING_STAGES } from "../../rollouts/stages";
import { judgeHealth, type BudgetUse, type HealthFigures, type HealthVerdict } from "../../rollouts/verdict";
import { PATH_COUNT_COLUMNS, pathCountsSql, toDropPathRow, type DropPathCountsRow, type DropPathRow } from "../drops/getTopDropPaths";
import { SqlParams } from "../sqlParams";
import type { TimeRange } from "../timeRange";
import { listNamespaceClasses } from "./getNamespaceClasses";
import type { RolloutView, StageTransition } from "./getRollout";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back an AUDIT sighting makes a newly enforced path "expected". */
export const PREDICTION_LOOKBACK_DAYS = 30;
const MAX_LISTED_PATHS = 200;

export interface Acknowledgement {
  actor: string;
  reason: string;
  createdAt: string;
}

export interface StagePath extends DropPathRow {
  acknowledgement: Acknowledgement | null;
}

export interface RolloutHealth {
  rolloutId: string;
  verdict: HealthVerdict;
  /** HEALTHY: a promotion gate's success condition. */
  healthy: boolean;
  /** BREACHED: a promotion gate's failure condition (anything else is inconclusive). */
  breached: boolean;
  reasons: string[];
  stage: StageTransition | null;
  /** The namespaces with drops that the stage's scope covers; null: every namespace. */
  scopeNamespaces: string[] | null;
  window: { from: string; to: string } | null;
  baseline: { from: string; to: string } | null;
  figures: HealthFigures | null;
  budget: BudgetUse[];
  surprises: StagePath[];
  expected: StagePath[];
  acknowledged: StagePath[];
  evaluatedAt: string;
}

export async function resolveScope(transition: { namespaces: string[]; classes: string[] }): Promise<Scope> {
  const classes: NamespaceClassPatterns[] = transition.classes.length > 0 ? await listNamespaceClasses(transition.classes) : [];
  return { namespaces: transition.namespaces, classes };
}

/** Per-path counts in a window, for paths whose namespace is in scope, on the rollout's clusters. */
export async function pathCountsInScope(range: TimeRange, clusters: string[], scope: Scope, verdict?: "AUDIT"): Promise<DropPathCountsRow[]> {
  const params = new SqlParams();
  const counts = pathCountsSql(range, { cluster: clusters.length > 0 ? clusters : undefined, verdict: verdict ? [verdict] : undefined }, params);
  const sql = `SELECT ${PATH_COUNT_COLUMNS} FROM (${counts}) c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    WHERE ${scopeCondition("p.namespace", scope, params)}`;
  return (await getPool().query<DropPathCountsRow>(sql, params.values)).rows;
}

export async function getAcknowledgements(): Promise<Map<string, Acknowledgement>> {
  const { rows } = await getPool().query<{ cluster: string; id: string; actor: string; reason: string; created_at: Date }>(
    `SELECT cluster, drop_path_id::text AS id, actor, reason, created_at FROM path_acknowledgements`,
  );
  return new Map(rows.map((r) => [`${r.cluster}/${r.id}`, { actor: r.actor, reason: r.reason, createdAt: r.created_at.toISOString() }]));
}

/** Namespaces known to have drops (on these clusters) that the scope covers; null for a whole-cluster scope. */
export async function namespacesInScope(clusters: string[], scope: Scope): Promise<string[] | null> {
  if (isWholeCluster(scope)) return null;
  const params = new SqlParams();
  const clusterCondition = clusters.length > 0 ? `cluster = ANY(${params.add(clusters)}::text[]) AND ` : "";
  const { rows } = await getPool().query<{ namespace: string }>(
    `SELECT DISTINCT namespace FROM drop_paths WHERE ${clusterCondition}${scopeCondition("namespace", scope, params)} ORDER BY namespace LIMIT 500`,
    params.values,
  );
  const known = rows.map((r) => r.namespace);
  // Named namespaces stay even before their first drop, so a chart of the scope is never "everything".
  return [...new Set([...scope.namespaces, ...known])];
}

async function clustersReporting(clusters: string[], since: Date): Promise<boolean> {
  // drop_paths.last_seen moves within 30 s of every batch: a cheap "is anything arriving?".
  const { rows } = await getPool().query(
    `SELECT 1 FROM drop_paths WHERE last_seen >= $1 ${clusters.length > 0 ? "AND cluster = ANY($2::text[])" : ""} LIMIT 1`,
    clusters.length > 0 ? [new Date(since.getTime() - 30_000), clusters] : [new Date(since.getTime() - 30_000)],
  );
  return rows.length > 0;
}

const keyOf = (row: { cluster: string; id: string }) => `${row.cluster}/${row.id}`;

function empty(rolloutId: string, reason: string, now: Date, stage: StageTransition | null = null): RolloutHealth {
  return {
    rolloutId, verdict: "INSUFFICIENT_DATA", healthy: false, breached: false, reasons: [reason], stage, scopeNamespaces: null, window: null, baseline: null,
    figures: null, budget: [], surprises: [], expected: [], acknowledged: [], evaluatedAt: now.toISOString(),
  };
}

/** Health of one stage (default: the current one) as of `now`. */
export async function getRolloutHealth(rollout: RolloutView, now: Date, stageSeq?: number): Promise<RolloutHealth> {
  const index = stageSeq === undefined ? rollout.transitions.length - 1 : rollout.transitions.findIndex((t) => t.seq === stageSeq);
  const stage = rollout.transitions[index];
  if (!stage) return empty(rollout.id, stageSeq === undefined ? "no stage recorded yet" : `no stage ${stageSeq}`, now);
  if (stage.stage === "ROLLED_BACK") return empty(rollout.id, "rolled back: nothing of this rollout is enforced", now, stage);

  // Rollups count whole minutes: both windows meet at the transition's minute, so none is counted twice.
  const start = new Date(Math.floor(new Date(stage.at).getTime() / MINUTE_MS) * MINUTE_MS);
  const next = rollout.transitions[index + 1];
  const end = next ? new Date(next.at) : now;
  const stageMinutes = Math.max(0, (end.getTime() - start.getTime()) / MINUTE_MS);
  const baselineMinutes = rollout.baselineMinutes ?? Math.min(Math.max(stageMinutes, 1), 24 * 60);
  const baseline: TimeRange = { from: new Date(start.getTime() - baselineMinutes * MINUTE_MS), to: start };
  const window: TimeRange = { from: start, to: new Date(Math.max(end.getTime(), start.getTime() + 1)) };
  const scope = await resolveScope(stage);

  const [current, before, audited, acks, reporting, scopeNamespaces] = await Promise.all([
    pathCountsInScope(window, rollout.clusters, scope),
    pathCountsInScope(baseline, rollout.clusters, scope),
    pathCountsInScope({ from: new Date(start.getTime() - PREDICTION_LOOKBACK_DAYS * DAY_MS), to: start }, rollout.clusters, scope, "AUDIT"),
    getAcknowledgements(),
    clustersReporting(rollout.clusters, start),
    namespacesInScope(rollout.clusters, scope),
  ]);

  const baselineByPath = new Map(before.map((row) => [keyOf(row), row]));
  const predicted = new Set(audited.filter((row) => row.audit > 0).map(keyOf));
  const enforcing = ENFORCING_STAGES.includes(stage.stage);
  const sum = (rows: DropPathCountsRow[]) => rows.filter((row) => !acks.has(keyOf(row))).reduce((total, row) => total + row.count, 0);

  const surprises: StagePath[] = [];
  const expected: StagePath[] = [];
  const acknowledged: StagePath[] = [];
  for (const row of current) {
    // Newly enforced: dropped now, not dropped in the baseline. In OBSERVE, newly seen at all.
    const wasDropped = (baselineByPath.get(keyOf(row))?.dropped ?? 0) > 0;
    const isNew = enforcing ? row.dropped > 0 && !wasDropped : !baselineByPath.has(keyOf(row));
    if (!isNew) continue;
    const ack = acks.get(keyOf(row)) ?? null;
    const path: StagePath = { ...toDropPathRow(row, start), acknowledgement: ack };
    if (ack) acknowledged.push(path);
    else if (!enforcing || predicted.has(keyOf(row))) expected.push(path);
    else surprises.push(path);
  }
  const byCount = (a: StagePath, b: StagePath) => b.count - a.count;

  const currentDrops = sum(current);
  const baselineDrops = sum(before);
  const currentRatePerMin = stageMinutes > 0 ? currentDrops / stageMinutes : 0;
  const baselineRatePerMin = baselineDrops / baselineMinutes;
  const figures: HealthFigures = {
    stageMinutes,
    baselineMinutes,
    currentDrops,
    baselineDrops,
    currentRatePerMin,
    baselineRatePerMin,
    extraDropsPerMin: currentRatePerMin - baselineRatePerMin,
    increasePct: baselineRatePerMin > 0 ? (currentRatePerMin / baselineRatePerMin - 1) * 100 : null,
    newPaths: surprises.length + expected.length,
    surprises: surprises.length,
    expected: expected.length,
    acknowledged: acknowledged.length,
    clustersReporting: reporting,
  };
  const judgement = judgeHealth(figures, rollout.budget);
  return {
    rolloutId: rollout.id,
    verdict: judgement.verdict,
    healthy: judgement.verdict === "HEALTHY",
    breached: judgement.verdict === "BREACHED",
    reasons: judgement.reasons,
    stage,
    scopeNamespaces,
    window: { from: window.from.toISOString(), to: end.toISOString() },
    baseline: { from: baseline.from.toISOString(), to: baseline.to.toISOString() },
    figures,
    budget: judgement.budget,
    surprises: surprises.sort(byCount).slice(0, MAX_LISTED_PATHS),
    expected: expected.sort(byCount).slice(0, MAX_LISTED_PATHS),
    acknowledged: acknowledged.sort(byCount).slice(0, MAX_LISTED_PATHS),
    evaluatedAt: now.toISOString(),
  };
}
