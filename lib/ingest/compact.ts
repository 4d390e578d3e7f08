// Folds drop_counts_pending into the minute/hour rollups, per namespace and per drop path.
// One statement moves the rows (DELETE ... RETURNING feeds the upserts), so a count is always in
// exactly one place; an advisory lock keeps one compactor at a time across replicas. In the same
// transaction each moved path's total (drop_paths.total) grows by what was moved: top paths rely
// on it bounding the path's compacted counts (lib/queries/drops/getTopDropPaths.ts).
import { getPool } from "../db/pool";
import { startBackgroundLoop } from "../system/processes";

const COMPACTOR_LOCK = 7_020_001;
/** Rows moved per statement: bounds one compaction's lock time and memory after a long pause. */
const MAX_ROWS = 200_000;

const upsert = (table: string, keys: string, bucket: string, source = "moved") => `
  INSERT INTO ${table} AS r (bucket, ${keys}, count)
  SELECT ${bucket}, ${keys}, sum(count) FROM ${source} GROUP BY 1, ${keys} ORDER BY 1, ${keys}
  ON CONFLICT (bucket, ${keys}) DO UPDATE SET count = r.count + excluded.count`;

// Buckets are aligned to UTC, as the readers' (lib/queries/timeRange.ts) are.
const FIVE_MINUTES = "date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch')";
const HOUR = "date_trunc('hour', bucket, 'UTC')";
const DAY = "date_trunc('day', bucket, 'UTC')";
const NAMESPACE_KEYS = "cluster, namespace, direction, verdict, reason";
const PATH_KEYS = "cluster, drop_path_id, verdict, reason";
// A path's namespace is a fact of the path: carried along, not part of the key.
const upsertTotals = (table: string, bucket: string) => `
  INSERT INTO ${table} AS r (bucket, cluster, drop_path_id, namespace, count)
  SELECT ${bucket}, cluster, drop_path_id, min(namespace), sum(count) FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (bucket, cluster, drop_path_id) DO UPDATE SET count = r.count + excluded.count`;
const POLICY_KEYS = "cluster, policy, verdict, reason";

const COMPACT_SQL = `
WITH moved AS (
  DELETE FROM drop_counts_pending
  WHERE id IN (SELECT id FROM drop_counts_pending ORDER BY id LIMIT ${MAX_ROWS})
  RETURNING bucket, cluster, namespace, direction, verdict, reason, drop_path_id, count
),
rollup_minute AS (${upsert("drop_rollup_minute", NAMESPACE_KEYS, "bucket")}),
rollup_5m AS (${upsert("drop_rollup_5m", NAMESPACE_KEYS, FIVE_MINUTES)}),
rollup_hour AS (${upsert("drop_rollup_hour", NAMESPACE_KEYS, HOUR)}),
rollup_day AS (${upsert("drop_rollup_day", NAMESPACE_KEYS, DAY)}),
path_minute AS (${upsert("drop_path_minute", PATH_KEYS, "bucket")}),
path_hour AS (${upsert("drop_path_hour", PATH_KEYS, HOUR)}),
path_day AS (${upsert("drop_path_day", PATH_KEYS, DAY)}),
path_hour_total AS (${upsertTotals("drop_path_hour_total", HOUR)}),
path_day_total AS (${upsertTotals("drop_path_day_total", DAY)}),
-- Credited to the policies the path's earlier counts are credited to; CREDIT_SQL adds newer ones.
moved_policies AS (
  SELECT m.bucket, m.cluster, policy, m.verdict, m.reason, m.count
  FROM moved m JOIN drop_paths p ON p.cluster = m.cluster AND p.id = m.drop_path_id
  CROSS JOIN LATERAL unnest(p.policies_credited) AS policy
),
policy_minute AS (${upsert("drop_policy_minute", POLICY_KEYS, "bucket", "moved_policies")}),
policy_hour AS (${upsert("drop_policy_hour", POLICY_KEYS, HOUR, "moved_policies")}),
policy_day AS (${upsert("drop_policy_day", POLICY_KEYS, DAY, "moved_policies")}),
path_totals AS (INSERT INTO compacted_path_totals SELECT cluster, drop_path_id, sum(count) FROM moved GROUP BY 1, 2),
-- Each hour that gained counts: reused rollout-health reads of it are stale (sealedPathCounts.ts).
hour_versions AS (
  INSERT INTO rollup_hour_versions AS v (hour, version)
  SELECT DISTINCT ${HOUR}, 1 FROM moved ORDER BY 1
  ON CONFLICT (hour) DO UPDATE SET version = v.version + 1)
SELECT count(*)::int AS moved FROM moved`;

// The moved counts per path, for the statements after the move (emptied at commit).
const COMPACTED_TOTALS_TABLE = `CREATE TEMP TABLE IF NOT EXISTS compacted_path_totals
  (cluster text NOT NULL, drop_path_id bigint NOT NULL, count bigint NOT NULL) ON COMMIT DELETE ROWS`;
// The moved paths and those with policies not yet credited, locked in (cluster, id) order, the
// order ingest's path upsert takes them in, so the two cannot deadlock; then the totals grow.
const LOCK_PATHS_SQL = `SELECT 1 FROM drop_paths p
  WHERE (p.cluster, p.id) IN (SELECT cluster, drop_path_id FROM compacted_path_totals
                              UNION SELECT cluster, id FROM drop_paths WHERE policies_uncredited)
  ORDER BY p.cluster, p.id FOR UPDATE OF p`;
const ADD_TOTALS_SQL = `UPDATE drop_paths p SET total = p.total + t.count FROM compacted_path_totals t
  WHERE p.cluster = t.cluster AND p.id = t.drop_path_id`;
// A path that named a policy since its counts were credited: the policy gets all it compacted
// (what was just moved included), so each credited policy holds the path's every compacted count.
// One index read per gained path (LATERAL ... OFFSET 0: the planner guesses most paths differ
// from what was credited and would scan whole rollups). drop_path_minute is keyed by time first:
// a path's minutes are read between its first and last drop (last_seen may lag by 30 s).
const gained = (granularity: "minute" | "hour" | "day") => `
  INSERT INTO drop_policy_${granularity} AS r (bucket, ${POLICY_KEYS}, count)
  SELECT x.bucket, g.cluster, g.policy, x.verdict, x.reason, sum(x.count)
  FROM gained g CROSS JOIN LATERAL (
    SELECT bucket, verdict, reason, count FROM drop_path_${granularity} x
    WHERE x.cluster = g.cluster AND x.drop_path_id = g.id
    ${granularity === "minute" ? "AND x.bucket >= date_trunc('minute', g.first_seen) AND x.bucket < g.last_seen + interval '2 minutes'" : ""}
    OFFSET 0
  ) x
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (bucket, ${POLICY_KEYS}) DO UPDATE SET count = r.count + excluded.count`;
const ANY_UNCREDITED_SQL = "SELECT 1 FROM drop_paths WHERE policies_uncredited LIMIT 1";
// Most ticks find nothing to do: one statement says so, instead of a transaction's seven.
const IDLE_SQL = `SELECT NOT EXISTS (SELECT 1 FROM drop_counts_pending) AND NOT EXISTS (${ANY_UNCREDITED_SQL}) AS idle`;
const CREDIT_SQL = `
WITH gained AS (
  SELECT p.cluster, p.id, p.first_seen, p.last_seen, policy FROM drop_paths p CROSS JOIN LATERAL unnest(p.policies) AS policy
  WHERE p.policies_uncredited AND NOT (policy = ANY (p.policies_credited))
),
credit_minute AS (${gained("minute")}),
credit_hour AS (${gained("hour")}),
credit_day AS (${gained("day")}),
credited AS (
  UPDATE drop_paths SET policies_credited = policies, policies_uncredited = false WHERE policies_uncredited
  RETURNING cluster, id),
-- Logged for reused rollout-health reads, whose attribution of these paths is now stale; a log
-- two hours long outlives any reuse (sealedPathCounts.ts: MAX_AGE_MS).
pruned AS (DELETE FROM path_policy_credits WHERE credited_at < now() - interval '2 hours')
INSERT INTO path_policy_credits (cluster, drop_path_id) SELECT cluster, id FROM credited ORDER BY 1, 2`;

/** Compacts what is pending; returns the rows moved (0: nothing pending), or null when another compactor holds the lock. */
export async function compactRollups(): Promise<number | null> {
  const client = await getPool().connect();
  try {
    if ((await client.query<{ idle: boolean }>(IDLE_SQL)).rows[0]?.idle) return 0;
    let total = 0;
    for (;;) {
      await client.query("BEGIN");
      try {
        const locked = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [COMPACTOR_LOCK]);
        if (!locked.rows[0]?.ok) {
          await client.query("ROLLBACK");
          return total > 0 ? total : null;
        }
        await client.query(COMPACTED_TOTALS_TABLE);
        const result = await client.query<{ moved: number }>(COMPACT_SQL);
        await client.query(LOCK_PATHS_SQL);
        if ((result.rows[0]?.moved ?? 0) > 0) await client.query(ADD_TOTALS_SQL);
        if ((await client.query(ANY_UNCREDITED_SQL)).rowCount) await client.query(CREDIT_SQL);
        await client.query("COMMIT");
        const moved = result.rows[0]?.moved ?? 0;
        total += moved;
        if (moved < MAX_ROWS) return total;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    }
  } finally {
    client.release();
  }
}

/** Runs compactRollups every `intervalMs` until stopped; errors are logged, never thrown. */
export function startCompactor(intervalMs = 2_000): { stop(): void } {
  return startBackgroundLoop("compactor", intervalMs, compactRollups);
}
