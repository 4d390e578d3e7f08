// Per-path counts for rollout health, split by what a rollout can cause: drops with a policy
// reason (enforced and audit) and drops of every other reason (conntrack, kernel, routing: shown
// as "other drops in scope", never in the budget). Exact: whole-minute/hour/day path rollups.
//
// At a million paths the cost is in how many rollup rows a read groups, so each read groups only
// what its question needs: a scope of namespaces reads only the paths of those namespaces seen in
// the window (drop_paths' namespace index, then the rollups' per-path indexes), and "was it seen
// as AUDIT" reads AUDIT rows with a policy reason only.
import { readQuery } from "../readPool";
import { ALL_POLICY_REASONS } from "../../ingest/policyReasons";
import { isWholeCluster, scopeCondition, type Scope } from "../../rollouts/scope";
import type { DropPathCountsRow } from "../drops/pathCounts";
import { PATH_COUNT_COLUMNS } from "../drops/pathCounts";
import { SqlParams } from "../sqlParams";
import { NAMESPACE_ROLLUPS, PATH_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";

/** `count`, `dropped` and `audit` hold policy-reason drops only; `other` every other reason. */
export interface StagePathCountsRow extends DropPathCountsRow {
  other: number;
  /** Policy-reason drops before `splitAt` (when asked for): a window's whole minutes, read in the same pass. */
  before_split: number;
}

export interface StagePathCountsOptions {
  /** Only paths seen as AUDIT with a policy reason (their other counts then leave out the rest). */
  auditOnly?: boolean;
  /** Also count the policy-reason drops in buckets starting before this time (`before_split`). */
  splitAt?: Date;
  /** Only these paths (read through the rollups' per-path indexes). */
  paths?: readonly { cluster: string; id: string }[];
}

/** ingest/pathUpdates.ts moves last_seen only when an event is 30 s past it: a path seen in a window may lag that much. */
const LAST_SEEN_SLACK_MS = 60_000;

function segmentsSql(range: TimeRange, clusters: readonly string[], scope: Scope, params: SqlParams, columns: string, extra: string): string {
  const clusterCondition = clusters.length > 0 ? ` AND cluster = ANY(${params.add(clusters)}::text[])` : "";
  // A scope of namespaces: only the paths of those namespaces seen in the window (read by path).
  let pathCondition = "";
  if (!isWholeCluster(scope)) {
    const pathClusters = clusters.length > 0 ? ` AND p.cluster = ANY(${params.add(clusters)}::text[])` : "";
    pathCondition = ` AND (cluster, drop_path_id) IN (SELECT p.cluster, p.id FROM drop_paths p WHERE ${scopeCondition("p.namespace", scope, params)}${pathClusters}
      AND p.last_seen >= ${params.add(new Date(range.from.getTime() - LAST_SEEN_SLACK_MS))} AND p.first_seen < ${params.add(range.to)})`;
  }
  return rollupReads(range, PATH_ROLLUPS)
    .map(({ table, segment }) => `SELECT ${columns} FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}${clusterCondition}${extra}${pathCondition}`)
    .join(" UNION ALL ");
}

/** Per-path counts in a window, for paths whose namespace is in scope, on these clusters (empty: all). */
export async function getStagePathCounts(range: TimeRange, clusters: readonly string[], scope: Scope, options: StagePathCountsOptions = {}): Promise<StagePathCountsRow[]> {
  const params = new SqlParams();
  const reasons = params.add(ALL_POLICY_REASONS);
  const auditOnly = options.auditOnly ? ` AND verdict = 'AUDIT' AND reason = ANY(${reasons}::text[])` : "";
  const onlyPaths = options.paths
    ? ` AND (cluster, drop_path_id) IN (SELECT * FROM unnest(${params.add(options.paths.map((p) => p.cluster))}::text[], ${params.add(options.paths.map((p) => p.id))}::bigint[]))`
    : "";
  const split = options.splitAt ? params.add(options.splitAt) : null;
  const segments = segmentsSql(range, clusters, scope, params, `cluster, drop_path_id, verdict, bucket, count, reason = ANY(${reasons}::text[]) AS policy`, auditOnly + onlyPaths);
  const sql = `
    SELECT ${PATH_COUNT_COLUMNS}, c.other, c.before_split
    FROM (
      SELECT cluster, drop_path_id,
             coalesce(sum(count) FILTER (WHERE policy), 0)::float8 AS count,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'DROPPED'), 0)::float8 AS dropped,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'AUDIT'), 0)::float8 AS audit,
             coalesce(sum(count) FILTER (WHERE NOT policy), 0)::float8 AS other,
             ${split ? `coalesce(sum(count) FILTER (WHERE policy AND bucket < ${split}), 0)::float8` : "0::float8"} AS before_split
      FROM (${segments}) s GROUP BY cluster, drop_path_id
    ) c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    WHERE ${scopeCondition("p.namespace", scope, params)}`;
  return (await readQuery<StagePathCountsRow>(sql, params.values)).rows;
}

export interface ReasonCount {
  reason: string;
  drops: number;
}

/**
 * The reasons of drops in scope that no policy causes, most first: what "other drops in scope" are.
 * From the namespace rollups: a path's namespace is its drops' namespace (both come from the same
 * pending rows, ingest/compact.ts), so no path needs reading.
 */
export async function getOtherReasonsInScope(range: TimeRange, clusters: readonly string[], scope: Scope, limit = 10): Promise<ReasonCount[]> {
  const params = new SqlParams();
  const reasons = params.add(ALL_POLICY_REASONS);
  const clusterCondition = clusters.length > 0 ? ` AND cluster = ANY(${params.add(clusters)}::text[])` : "";
  const inScope = scopeCondition("namespace", scope, params);
  const segments = rollupReads(range, NAMESPACE_ROLLUPS)
    .map(({ table, segment }) => `SELECT reason, count FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}${clusterCondition}
      AND NOT (reason = ANY(${reasons}::text[])) AND ${inScope}`)
    .join(" UNION ALL ");
  const sql = `SELECT reason, sum(count)::float8 AS drops FROM (${segments}) s GROUP BY reason ORDER BY drops DESC, reason LIMIT ${params.add(limit)}`;
  return (await readQuery<ReasonCount>(sql, params.values)).rows;
}
