// The most-dropped paths in a range: exact per-path counts from path rollups (whole hours from
// the hour table, ragged ends from the minute table), joined to the paths' identities.
import { readQuery } from "../readPool";
import type { TrafficDirection } from "../../ingest/types";
import { SqlParams } from "../sqlParams";
import { PATH_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";
import { filterConditions, type DropFilters } from "./filters";
import type { DropPathDetail } from "./getDropPath";

export interface TopDropPathsQuery extends DropFilters, TimeRange {
  limit: number;
  /** Free text matched against workload and namespace names (case-insensitive substring). */
  search?: string;
}

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

/** The per-path counts in a range, as a UNION of the segments' rollup reads (minute, hour, day). */
export function pathCountsSql(range: TimeRange, filters: DropFilters, params: SqlParams): string {
  const selects = rollupReads(range, PATH_ROLLUPS).map(({ table, segment }) => {
    const conditions = [
      `bucket >= ${params.add(segment.from)}`,
      `bucket < ${params.add(segment.to)}`,
      ...filterConditions(filters, { cluster: "cluster", verdict: "verdict::text", reason: "reason" }, params),
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

export async function getTopDropPaths(query: TopDropPathsQuery): Promise<DropPathRow[]> {
  const params = new SqlParams();
  const counts = pathCountsSql(query, query, params);
  const conditions = filterConditions(query, { namespace: "p.namespace", direction: "p.direction::text", policy: "p.policies" }, params);
  if (query.search) {
    const pattern = params.add(`%${query.search.replace(/[\\%_]/g, "\\$&")}%`);
    conditions.push(
      `(p.src_workload ILIKE ${pattern} OR p.dst_workload ILIKE ${pattern} OR p.src_namespace ILIKE ${pattern} OR p.dst_namespace ILIKE ${pattern})`,
    );
  }
  const sql = `
    SELECT ${PATH_COUNT_COLUMNS}
    FROM (${counts}) c
    JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
    ORDER BY c.count DESC, p.last_seen DESC, p.id
    LIMIT ${params.add(query.limit)}`;
  const { rows } = await readQuery<DropPathCountsRow>(sql, params.values);
  return rows.map((row) => toDropPathRow(row, query.from));
}

/** The columns a DropPathCountsRow needs, from drop_paths `p` joined to pathCountsSql's `c`. */
export const PATH_COUNT_COLUMNS = `p.id::text AS id, p.cluster, p.namespace, p.direction, p.src_namespace, p.src_workload,
  p.dst_namespace, p.dst_workload, p.dst_port, p.protocol, c.count, c.dropped, c.audit, p.first_seen, p.last_seen, p.policies, p.reasons`;

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
