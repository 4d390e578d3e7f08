// Per-path counts for rollout health, split by what a rollout can cause: drops with a policy
// reason (enforced and audit) and drops of every other reason (conntrack, kernel, routing: shown
// as "other drops in scope", never in the budget). Exact: whole-minute/hour/day path rollups.
//
// At a million paths the cost is in how many rollup rows a read groups, so each read groups only
// what its question needs: a scope of namespaces reads only the paths of those namespaces seen in
// the window (drop_paths' namespace index, then the rollups' per-path indexes), and "was it seen
// as AUDIT" reads AUDIT rows with a policy reason only.
import type { CountSource } from "../keptReads";
import { readQuery } from "../readPool";
import { LAST_SEEN_RESOLUTION_MS } from "../../ingest/knownPaths";
import { ALL_POLICY_REASONS } from "../../ingest/policyReasons";
import { isWholeCluster, scopeCondition, type Scope } from "../../rollouts/scope";
import type { DropPathCountsRow } from "../drops/pathCounts";
import { PATH_COUNT_COLUMNS, PATH_DESCRIPTION_COLUMNS } from "../drops/pathCounts";
import { SqlParams } from "../sqlParams";
import { PATH_ROLLUPS, rollupReads, type RollupTables, type TimeRange } from "../timeRange";

/** `count`, `dropped` and `audit` hold policy-reason drops only; `other` every other reason. */
export interface StagePathCountsRow extends DropPathCountsRow {
  other: number;
  /** Policy-reason drops before `splitAt` (when asked for): a window's whole minutes, read in the same pass. */
  before_split: number;
}

export interface StagePathCountsOptions {
  /** Only paths seen as AUDIT with a policy reason (their other counts then leave out the rest). */
  auditOnly?: boolean;
  /**
   * Also count the policy-reason drops before this whole minute (`before_split`): the window is read
   * as two exact partitions, [from, splitAt) and [splitAt, to), so no bucket straddles it.
   */
  splitAt?: Date;
  /** Only these paths (read through the rollups' per-path indexes). */
  paths?: readonly { cluster: string; id: string }[];
}

const MINUTE_MS = 60_000;
const floorMinute = (time: Date) => new Date(Math.floor(time.getTime() / MINUTE_MS) * MINUTE_MS);
const ceilMinute = (time: Date) => new Date(Math.ceil(time.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * The scope's paths that can have drops in the window's minutes. Rollups count whole minutes, so
 * the window read is [floor(from), ceil(to)); a path's first_seen is at or before its first drop,
 * and its last_seen lags its newest drop by under LAST_SEEN_RESOLUTION_MS (ingest/knownPaths.ts,
 * ingest/pathUpdates.ts): twice that is the slack.
 */
function scopedPathsSql(range: TimeRange, clusters: readonly string[], scope: Scope, params: SqlParams): string {
  const pathClusters = clusters.length > 0 ? ` AND p.cluster = ANY(${params.add(clusters)}::text[])` : "";
  const seenFrom = new Date(floorMinute(range.from).getTime() - 2 * LAST_SEEN_RESOLUTION_MS);
  return `SELECT p.cluster, p.id FROM drop_paths p WHERE ${scopeCondition("p.namespace", scope, params)}${pathClusters}
      AND p.last_seen >= ${params.add(seenFrom)} AND p.first_seen < ${params.add(ceilMinute(range.to))}`;
}

const COMPACTED_PATH_ROLLUPS: RollupTables = { minute: "drop_path_minute", hour: "drop_path_hour", day: "drop_path_day" };

/** The tables and segments a part of the window is read from (pending rows are minutes: one read). */
function sourceReads(part: TimeRange, source: CountSource): { table: string; segment: TimeRange }[] {
  if (source === "pending") return [{ table: "drop_counts_pending", segment: { from: floorMinute(part.from), to: ceilMinute(part.to) } }];
  return rollupReads(part, source === "live" ? PATH_ROLLUPS : COMPACTED_PATH_ROLLUPS);
}

/** One rollup read per segment of each part of the window; `in_first` tells the parts apart. */
function segmentsSql(
  parts: readonly TimeRange[],
  clusters: readonly string[],
  scope: Scope,
  params: SqlParams,
  columns: string,
  extra: string,
  source: CountSource = "live",
  paths?: readonly { cluster: string; id: string }[],
): string {
  const clusterCondition = clusters.length > 0 ? ` AND cluster = ANY(${params.add(clusters)}::text[])` : "";
  const whole = { from: parts[0]?.from ?? new Date(0), to: parts[parts.length - 1]?.to ?? new Date(0) };
  // Paths given: only those, and no scope condition besides (the caller's join to drop_paths keeps
  // the scope's). With both, PostgreSQL guessed the paths a handful and looked each one up in every
  // minute of the minute rollup (5,000 index searches for 88 paths, 30 ms at a pre-flight's end).
  // A scope of namespaces: only the paths of those namespaces seen in the window (read by path).
  // Pending rows are few: each one's path is looked up.
  const pathCondition = paths
    ? ` AND (cluster, drop_path_id) IN (SELECT * FROM unnest(${params.add(paths.map((p) => p.cluster))}::text[], ${params.add(paths.map((p) => p.id))}::bigint[]))`
    : isWholeCluster(scope)
    ? ""
    : source === "pending"
      ? ` AND (cluster, drop_path_id) IN (SELECT p.cluster, p.id FROM drop_paths p WHERE ${scopeCondition("p.namespace", scope, params)})`
      : ` AND (cluster, drop_path_id) IN (${scopedPathsSql(whole, clusters, scope, params)})`;
  return parts
    .flatMap((part, index) =>
      sourceReads(part, source).map(
        ({ table, segment }) =>
          `SELECT ${columns}, ${index === 0} AS in_first FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}${clusterCondition}${extra}${pathCondition}`,
      ),
    )
    .join(" UNION ALL ");
}

/** The per-path counts of a window in scope, grouped (`c`), joined to drop_paths (`p`) and filtered by scope. */
function pathCountsSql(select: string, range: TimeRange, clusters: readonly string[], scope: Scope, options: StagePathCountsOptions, source: CountSource, params: SqlParams): string {
  const reasons = params.add(ALL_POLICY_REASONS);
  const auditOnly = options.auditOnly ? ` AND verdict = 'AUDIT' AND reason = ANY(${reasons}::text[])` : "";
  const split = options.splitAt;
  const parts = split && split > range.from && split < range.to ? [{ from: range.from, to: split }, { from: split, to: range.to }] : [range];
  const allBeforeSplit = split !== undefined && split >= range.to;
  const segments = segmentsSql(parts, clusters, scope, params, `cluster, drop_path_id, verdict, count, reason = ANY(${reasons}::text[]) AS policy`, auditOnly, source, options.paths);
  const beforeSplit = split === undefined ? "0::float8" : `coalesce(sum(count) FILTER (WHERE policy AND ${parts.length > 1 ? "in_first" : String(allBeforeSplit)}), 0)::float8`;
  return `
    SELECT ${select}
    FROM (
      SELECT cluster, drop_path_id,
             coalesce(sum(count) FILTER (WHERE policy), 0)::float8 AS count,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'DROPPED'), 0)::float8 AS dropped,
             coalesce(sum(count) FILTER (WHERE policy AND verdict = 'AUDIT'), 0)::float8 AS audit,
             coalesce(sum(count) FILTER (WHERE NOT policy), 0)::float8 AS other,
             ${beforeSplit} AS before_split
      FROM (${segments}) s GROUP BY cluster, drop_path_id
    ) c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    WHERE ${scopeCondition("p.namespace", scope, params)}`;
}

/** Per-path counts in a window, for paths whose namespace is in scope, on these clusters (empty: all). */
export async function getStagePathCounts(range: TimeRange, clusters: readonly string[], scope: Scope, options: StagePathCountsOptions = {}): Promise<StagePathCountsRow[]> {
  const params = new SqlParams();
  const sql = pathCountsSql(`${PATH_COUNT_COLUMNS}, c.other, c.before_split`, range, clusters, scope, options, "live", params);
  return (await readQuery<StagePathCountsRow>(sql, params.values)).rows;
}

/** A path's key across clusters, as health's maps hold it. */
export const pathKey = (row: { cluster: string; id: string }) => `${row.cluster}/${row.id}`;

/** A path's counts in a window without its description: what health classes every path by. */
export interface StagePathNumbers {
  cluster: string;
  id: string;
  count: number;
  dropped: number;
  audit: number;
  other: number;
  before_split: number;
  policies: string[] | null;
}

/** One path's numbers of two parts of a window: the later part's facts. */
export const plusNumbers = (earlier: StagePathNumbers, later: StagePathNumbers): StagePathNumbers => ({
  cluster: later.cluster,
  id: later.id,
  count: earlier.count + later.count,
  dropped: earlier.dropped + later.dropped,
  audit: earlier.audit + later.audit,
  other: earlier.other + later.other,
  before_split: earlier.before_split + later.before_split,
  policies: later.policies,
});

/** getStagePathCounts' numbers (and policies) from one source: a statement for the caller's transaction. */
export function stagePathNumbersQuery(range: TimeRange, clusters: readonly string[], scope: Scope, options: StagePathCountsOptions, source: CountSource): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  const sql = pathCountsSql("p.cluster, p.id::text AS id, c.count, c.dropped, c.audit, c.other, c.before_split, p.policies", range, clusters, scope, options, source, params);
  return { sql, values: params.values };
}

/** A path seen as AUDIT with a policy reason, and its policies: what health's predictions are made of. */
export interface AuditSighting {
  cluster: string;
  id: string;
  policies: string[] | null;
}

/** The paths in scope seen as AUDIT with a policy reason in a window, from one source (no counts: a scan sights 100k paths). */
export function auditSightingsQuery(range: TimeRange, clusters: readonly string[], scope: Scope, source: CountSource): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  const sql = `${pathCountsSql("p.cluster, p.id::text AS id, p.policies", range, clusters, scope, { auditOnly: true }, source, params)} AND c.audit > 0`;
  return { sql, values: params.values };
}

/** getStagePathCounts' numbers and policies, without the paths' descriptions: for a read that lists only some of what it counts. */
export async function readStagePathNumbers(range: TimeRange, clusters: readonly string[], scope: Scope, options: StagePathCountsOptions = {}): Promise<StagePathNumbers[]> {
  const { sql, values } = stagePathNumbersQuery(range, clusters, scope, options, "live");
  return (await readQuery<StagePathNumbers>(sql, values)).rows;
}

/** What drop_paths says of each of these paths (no counts), by `cluster/id`. */
export async function describePaths(paths: readonly { cluster: string; id: string }[]): Promise<Map<string, Omit<DropPathCountsRow, "count" | "dropped" | "audit">>> {
  if (paths.length === 0) return new Map();
  const { rows } = await readQuery<Omit<DropPathCountsRow, "count" | "dropped" | "audit">>(
    `SELECT ${PATH_DESCRIPTION_COLUMNS}
     FROM unnest($1::text[], $2::bigint[]) AS k(cluster, id) JOIN drop_paths p ON p.cluster = k.cluster AND p.id = k.id`,
    [paths.map((p) => p.cluster), paths.map((p) => p.id)],
  );
  return new Map(rows.map((row) => [pathKey(row), row]));
}

export interface ReasonCount {
  reason: string;
  drops: number;
}

/** Drops in scope by reason, of the reasons no policy causes, from one source (sealedPathCounts.ts reads them). */
export function otherReasonsQuery(range: TimeRange, clusters: readonly string[], scope: Scope, source: CountSource): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  const reasons = params.add(ALL_POLICY_REASONS);
  const segments = segmentsSql([range], clusters, scope, params, "reason, count", ` AND NOT (reason = ANY(${reasons}::text[]))`, source);
  const sql = `SELECT s.reason, sum(s.count)::float8 AS drops FROM (${segments}) s GROUP BY s.reason`;
  return { sql, values: params.values };
}
