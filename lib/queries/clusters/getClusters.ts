// Every cluster that has sent drops or checked in: when its collector last checked in (any ingest
// request or a heartbeat), whether it is reporting, when its last drop came and how much it dropped
// lately. A cluster that drops nothing sends nothing: the check-in, not the last drop, says whether
// its collector is alive.
import { livenessMinutes } from "../../config";
import { getPool } from "../../db/pool";
import { SqlParams } from "../sqlParams";
import { NAMESPACE_ROLLUPS, rollupReads, type TimeRange } from "../timeRange";
import { readCheckins } from "./getClusterCheckins";

const MINUTE_MS = 60_000;
/** A cluster heard from this recently and silent since is one whose collector may have stopped. */
const RECENTLY_REPORTING_MS = 24 * 60 * MINUTE_MS;

export interface ClusterSummary {
  cluster: string;
  /** Its first and newest drop stored (to drop paths' 30 s resolution); null: it has sent none. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** When its collector last checked in (any ingest request or a heartbeat); null: never recorded. */
  lastCheckinAt: string | null;
  /** Its collector's last heartbeat (sent when there is nothing to send); null: none. */
  lastHeartbeatAt: string | null;
  /** Checked in within the liveness period (DROPBOARD_LIVENESS_MINUTES). */
  reporting: boolean;
  /** Reporting some time in the last 24 h, silent for the liveness period since: its collector may have stopped. */
  stoppedReporting: boolean;
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

/** Window counts from namespace rollups, split into minute, 5-minute, hour and day reads so they are exact and cheap. */
function windowCountsSql(window: TimeRange, params: SqlParams): string {
  return rollupReads(window, NAMESPACE_ROLLUPS)
    .map(
      ({ table, segment }) =>
        `SELECT cluster, namespace, verdict, count FROM ${table} WHERE bucket >= ${params.add(segment.from)} AND bucket < ${params.add(segment.to)}`,
    )
    .join(" UNION ALL ");
}

/** Every cluster's summary as of `now`: drops in `window`, liveness from its check-ins. */
export async function getClusters(window: TimeRange, now: Date): Promise<ClusterSummary[]> {
  const params = new SqlParams();
  const sql = `
WITH RECURSIVE clusters AS (
  -- The distinct clusters by skipping through the primary key: few clusters, maybe 1M paths.
  SELECT min(cluster) AS cluster FROM drop_paths
  UNION ALL
  SELECT (SELECT min(cluster) FROM drop_paths WHERE cluster > c.cluster) FROM clusters c WHERE c.cluster IS NOT NULL
), seen AS (
  SELECT c.cluster,
    (SELECT min(first_seen) FROM drop_paths p WHERE p.cluster = c.cluster) AS first_seen,
    (SELECT max(last_seen) FROM drop_paths p WHERE p.cluster = c.cluster) AS last_seen
  FROM clusters c WHERE c.cluster IS NOT NULL
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
  const [{ rows }, checkins] = await Promise.all([getPool().query<Row>(sql, params.values), readCheckins()]);
  const fresh = now.getTime() - livenessMinutes() * MINUTE_MS;
  const recent = now.getTime() - RECENTLY_REPORTING_MS;
  const checkinOf = new Map(checkins.map((c) => [c.cluster, c]));
  const liveness = (cluster: string) => {
    const checkin = checkinOf.get(cluster);
    const last = checkin?.lastSeenAt.getTime() ?? null;
    return {
      lastCheckinAt: checkin?.lastSeenAt.toISOString() ?? null,
      lastHeartbeatAt: checkin?.lastHeartbeatAt?.toISOString() ?? null,
      reporting: last !== null && last >= fresh,
      stoppedReporting: last !== null && last < fresh && last >= recent,
    };
  };
  const withDrops: ClusterSummary[] = rows.map((row) => ({
    cluster: row.cluster,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    ...liveness(row.cluster),
    drops: row.drops,
    dropped: row.dropped,
    audit: row.audit,
    namespaces: row.namespaces,
  }));
  // Clusters whose collectors checked in but never sent a drop come after those with drops.
  const known = new Set(rows.map((row) => row.cluster));
  const withoutDrops: ClusterSummary[] = checkins
    .filter((c) => !known.has(c.cluster))
    .map((c) => ({ cluster: c.cluster, firstSeen: null, lastSeen: null, ...liveness(c.cluster), drops: 0, dropped: 0, audit: 0, namespaces: 0 }));
  return [...withDrops, ...withoutDrops];
}
