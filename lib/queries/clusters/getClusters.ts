// Every cluster that has sent drops: when it was last heard from and how much it dropped lately.
import { getPool } from "../../db/pool";
import { SqlParams } from "../sqlParams";
import { NAMESPACE_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";

export interface ClusterSummary {
  cluster: string;
  firstSeen: string;
  /** The newest drop stored for it (to drop paths' 30 s resolution). */
  lastSeen: string;
  /** Drops in the window (default: the last 24 h), enforced and audit. */
  drops: number;
  dropped: number;
  audit: number;
  /** Namespaces with drops in the window. */
  namespaces: number;
}

interface Row {
  cluster: string;
  first_seen: Date;
  last_seen: Date;
  drops: number;
  dropped: number;
  audit: number;
  namespaces: number;
}

/** Window counts from namespace rollups, split into minute, hour and day reads so they are exact and cheap. */
function windowCountsSql(window: TimeRange, params: SqlParams): string {
  return rollupReads(window, NAMESPACE_ROLLUPS)
    .map(
      ({ table, segment }) =>
        `SELECT cluster, namespace, verdict, count FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}`,
    )
    .join(" UNION ALL ");
}

export async function getClusters(window: TimeRange): Promise<ClusterSummary[]> {
  const params = new SqlParams();
  const sql = `
WITH seen AS (
  SELECT cluster, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM drop_paths GROUP BY cluster
), recent AS (
  SELECT cluster, sum(count)::float8 AS drops,
         coalesce(sum(count) FILTER (WHERE verdict = 'DROPPED'), 0)::float8 AS dropped,
         coalesce(sum(count) FILTER (WHERE verdict = 'AUDIT'), 0)::float8 AS audit,
         count(DISTINCT namespace)::int AS namespaces
  FROM (${windowCountsSql(window, params)}) c
  GROUP BY cluster
)
SELECT s.cluster, s.first_seen, s.last_seen, coalesce(r.drops, 0) AS drops, coalesce(r.dropped, 0) AS dropped,
       coalesce(r.audit, 0) AS audit, coalesce(r.namespaces, 0) AS namespaces
FROM seen s LEFT JOIN recent r USING (cluster)
ORDER BY s.last_seen DESC, s.cluster`;
  const { rows } = await getPool().query<Row>(sql, params.values);
  return rows.map((row) => ({
    cluster: row.cluster,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    drops: row.drops,
    dropped: row.dropped,
    audit: row.audit,
    namespaces: row.namespaces,
  }));
}
