// Per-path counts in a range, exact: whole days from the day rollup, whole hours from the hour
// rollup, the ragged minutes at either end from the minute rollup (each a live_* view, so counts
// still pending compaction are in). Shared by top paths, top policies and the rollout reads.
import type { TrafficDirection } from "../../ingest/types";
import type { SqlParams } from "../sqlParams";
import { PATH_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";
import { filterConditions, type DropFilters } from "./filters";
import type { DropPathDetail } from "./getDropPath";

/** A drop path with its counts in the queried range. */
export interface DropPathRow extends DropPathDetail {
  /** Drops in the range, enforced and audit. */
  count: number;
  dropped: number;
  audit: number;
  /** First seen inside the range. */
  isNew: boolean;
}

export interface DropPathCountsRow {
  id: string;
  cluster: string;
  namespace: string;
  direction: TrafficDirection;
  src_namespace: string | null;
  src_workload: string | null;
  dst_namespace: string | null;
  dst_workload: string | null;
  dst_port: number | null;
  protocol: string;
  count: number;
  dropped: number;
  audit: number;
  first_seen: Date;
  last_seen: Date;
  policies: string[] | null;
  reasons: string[] | null;
}

/**
 * The per-path counts in a range, as a UNION of the segments' rollup reads. `paths`, when given,
 * is SQL naming a set of `(cluster, id)` rows: only those paths are counted (read through the
 * rollups' per-path indexes instead of every path of the range).
 */
export function pathCountsSql(range: TimeRange, filters: DropFilters, params: SqlParams, paths?: string): string {
  const selects = rollupReads(range, PATH_ROLLUPS).map(({ table, segment }) => {
    const conditions = [
      `bucket >= ${params.add(segment.from)}`,
      `bucket < ${params.add(segment.to)}`,
      ...filterConditions(filters, { cluster: "cluster", verdict: "verdict::text", reason: "reason" }, params),
      ...(paths ? [`(cluster, drop_path_id) IN (${paths})`] : []),
    ];
    return `SELECT cluster, drop_path_id, verdict, count FROM ${table} WHERE ${conditions.join(" AND ")}`;
  });
  return `
    SELECT cluster, drop_path_id,
           sum(count)::float8 AS count,
           coalesce(sum(count) FILTER (WHERE verdict = 'DROPPED'), 0)::float8 AS dropped,
           coalesce(sum(count) FILTER (WHERE verdict = 'AUDIT'), 0)::float8 AS audit
    FROM (${selects.join(" UNION ALL ")}) segments
    GROUP BY cluster, drop_path_id`;
}

/** Conditions on drop_paths `p` for the filters that are facts of a path, and the free-text search. */
export function pathConditions(filters: DropFilters & { search?: string }, params: SqlParams): string[] {
  const conditions = filterConditions(
    filters,
    { cluster: "p.cluster", namespace: "p.namespace", direction: "p.direction::text", policy: "p.policies" },
    params,
  );
  if (filters.search) {
    const pattern = params.add(`%${filters.search.replace(/[\\%_]/g, "\\$&")}%`);
    conditions.push(
      `(p.src_workload ILIKE ${pattern} OR p.dst_workload ILIKE ${pattern} OR p.src_namespace ILIKE ${pattern} OR p.dst_namespace ILIKE ${pattern})`,
    );
  }
  return conditions;
}

/** What drop_paths `p` says of a path: a DropPathCountsRow without its counts. */
export const PATH_DESCRIPTION_COLUMNS = `p.id::text AS id, p.cluster, p.namespace, p.direction, p.src_namespace, p.src_workload,
  p.dst_namespace, p.dst_workload, p.dst_port, p.protocol, p.first_seen, p.last_seen, p.policies, p.reasons`;

/** The columns a DropPathCountsRow needs, from drop_paths `p` joined to pathCountsSql's `c`. */
export const PATH_COUNT_COLUMNS = `${PATH_DESCRIPTION_COLUMNS}, c.count, c.dropped, c.audit`;

export function toDropPathRow(row: DropPathCountsRow, rangeFrom: Date): DropPathRow {
  return {
    id: row.id,
    cluster: row.cluster,
    namespace: row.namespace,
    direction: row.direction,
    srcNamespace: row.src_namespace,
    srcWorkload: row.src_workload,
    dstNamespace: row.dst_namespace,
    dstWorkload: row.dst_workload,
    dstPort: row.dst_port,
    protocol: row.protocol,
    count: row.count,
    dropped: row.dropped,
    audit: row.audit,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    isNew: row.first_seen.getTime() >= rangeFrom.getTime(),
    policies: row.policies ?? [],
    reasons: row.reasons ?? [],
  };
}
