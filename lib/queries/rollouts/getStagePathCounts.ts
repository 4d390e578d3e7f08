// Per-path counts for rollout health, split by what a rollout can cause: drops with a policy
// reason (enforced and audit) and drops of every other reason (conntrack, kernel, routing: shown
// as "other drops in scope", never in the budget). Exact: whole-minute/hour/day path rollups.
import { readQuery } from "../readPool";
import { ALL_POLICY_REASONS } from "../../ingest/policyReasons";
import { scopeCondition, type Scope } from "../../rollouts/scope";
import type { DropPathCountsRow } from "../drops/pathCounts";
import { PATH_COUNT_COLUMNS } from "../drops/pathCounts";
import { SqlParams } from "../sqlParams";
import { PATH_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";

/** `count`, `dropped` and `audit` hold policy-reason drops only; `other` every other reason. */
export interface StagePathCountsRow extends DropPathCountsRow {
  other: number;
}

function segmentsSql(range: TimeRange, clusters: readonly string[], params: SqlParams, columns: string): string {
  const clusterCondition = clusters.length > 0 ? ` AND cluster = ANY(${params.add(clusters)}::text[])` : "";
  return rollupReads(range, PATH_ROLLUPS)
    .map(({ table, segment }) => `SELECT ${columns} FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}${clusterCondition}`)
    .join(" UNION ALL ");
}

/** Per-path counts in a window, for paths whose namespace is in scope, on these clusters (empty: all). */
export async function getStagePathCounts(range: TimeRange, clusters: readonly string[], scope: Scope): Promise<StagePathCountsRow[]> {
  const params = new SqlParams();
  const reasons = params.add(ALL_POLICY_REASONS);
  const segments = segmentsSql(range, clusters, params, `cluster, drop_path_id, verdict, count, reason = ANY(${reasons}::text[]) AS policy`);
  const sql = `
    SELECT ${PATH_COUNT_COLUMNS}, c.other
    FROM (
      SELECT cluster, drop_path_id,
             coalesce(sum(count) FILTER (WHERE policy), 0)::float8 AS count,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'DROPPED'), 0)::float8 AS dropped,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'AUDIT'), 0)::float8 AS audit,
             coalesce(sum(count) FILTER (WHERE NOT policy), 0)::float8 AS other
      FROM (${segments}) s GROUP BY cluster, drop_path_id
    ) c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    WHERE ${scopeCondition("p.namespace", scope, params)}`;
  return (await readQuery<StagePathCountsRow>(sql, params.values)).rows;
}

export interface ReasonCount {
  reason: string;
  drops: number;
}

/** The reasons of drops in scope that no policy causes, most first: what "other drops in scope" are. */
export async function getOtherReasonsInScope(range: TimeRange, clusters: readonly string[], scope: Scope, limit = 10): Promise<ReasonCount[]> {
  const params = new SqlParams();
  const reasons = params.add(ALL_POLICY_REASONS);
  const segments = segmentsSql(range, clusters, params, "cluster, drop_path_id, reason, count");
  const sql = `
    SELECT s.reason, sum(s.count)::float8 AS drops
    FROM (${segments}) s JOIN drop_paths p ON p.cluster = s.cluster AND p.id = s.drop_path_id
    WHERE NOT (s.reason = ANY(${reasons}::text[])) AND ${scopeCondition("p.namespace", scope, params)}
    GROUP BY s.reason ORDER BY drops DESC, s.reason LIMIT ${params.add(limit)}`;
  return (await readQuery<ReasonCount>(sql, params.values)).rows;
}
