// Collector liveness: every ingest request and every heartbeat checks its cluster in. Rollout
// health needs it, because silence is not health: a cluster whose collector stopped sends nothing,
// and so does a healthy cluster that drops nothing. Writes are throttled per process (a steady
// stream checks in at most every THROTTLE_MS), so ingest pays one small upsert now and then.
import { getPool } from "../db/pool";

/** A cluster's check-in is rewritten at most this often by one process (liveness is judged in minutes). */
const THROTTLE_MS = 10_000;
const MAX_ENTRIES = 10_000;

const written = new Map<string, number>();

const UPSERT_SQL = `
INSERT INTO cluster_checkins AS c (cluster, first_seen_at, last_seen_at, last_heartbeat_at, collector)
SELECT cluster, least($2::timestamptz, $5::timestamptz), $2, CASE WHEN $3 THEN $2::timestamptz END, $4 FROM unnest($1::text[]) AS t(cluster)
ORDER BY cluster
ON CONFLICT (cluster) DO UPDATE SET
  first_seen_at = least(c.first_seen_at, excluded.first_seen_at),
  last_seen_at = greatest(c.last_seen_at, excluded.last_seen_at),
  last_heartbeat_at = coalesce(greatest(c.last_heartbeat_at, excluded.last_heartbeat_at), c.last_heartbeat_at),
  collector = coalesce(excluded.collector, c.collector)`;

export interface Checkin {
  clusters: readonly string[];
  at: Date;
  /** A heartbeat (nothing to send) rather than an ingest request. */
  heartbeat?: boolean;
  /** The collector's own name, when it says. */
  collector?: string | null;
  /**
   * The oldest record time in the request: a collector that starts by sending history has had data
   * since then (the first check-in bounds how far back a rollout's baseline reads).
   */
  oldestRecord?: Date | null;
}

/** Records that these clusters' collectors were heard from at `at`. Heartbeats are never throttled. */
export async function checkIn({ clusters, at, heartbeat = false, collector = null, oldestRecord = null }: Checkin): Promise<void> {
  const now = at.getTime();
  const first = oldestRecord !== null && oldestRecord.getTime() < now ? oldestRecord : at;
  // A request that brings older data than was known is never throttled: the first check-in moves back.
  const throttled = (c: string) => !heartbeat && first === at && now - (written.get(c) ?? -Infinity) < THROTTLE_MS;
  const due = [...new Set(clusters)].filter((c) => !throttled(c));
  if (due.length === 0) return;
  await getPool().query(UPSERT_SQL, [due, at, heartbeat, collector, first]);
  if (written.size > MAX_ENTRIES) written.clear();
  for (const cluster of due) written.set(cluster, now);
}
