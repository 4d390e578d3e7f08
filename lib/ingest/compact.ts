// Folds drop_counts_pending into the minute/hour rollups, per namespace and per drop path.
// One statement moves the rows (DELETE ... RETURNING feeds the upserts), so a count is always in
// exactly one place; an advisory lock keeps one compactor at a time across replicas.
import { getPool } from "../db/pool";
import { startBackgroundLoop } from "../system/processes";

const COMPACTOR_LOCK = 7_020_001;
/** Rows moved per statement: bounds one compaction's lock time and memory after a long pause. */
const MAX_ROWS = 200_000;

const upsert = (table: string, keys: string, bucket: string) => `
  INSERT INTO ${table} AS r (bucket, ${keys}, count)
  SELECT ${bucket}, ${keys}, sum(count) FROM moved GROUP BY 1, ${keys} ORDER BY 1, ${keys}
  ON CONFLICT (bucket, ${keys}) DO UPDATE SET count = r.count + excluded.count`;

// Buckets are aligned to UTC, as the readers' (lib/queries/timeRange.ts) are.
const FIVE_MINUTES = "date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch')";
const HOUR = "date_trunc('hour', bucket, 'UTC')";
const DAY = "date_trunc('day', bucket, 'UTC')";
const NAMESPACE_KEYS = "cluster, namespace, direction, verdict, reason";
const PATH_KEYS = "cluster, drop_path_id, verdict, reason";

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
path_day AS (${upsert("drop_path_day", PATH_KEYS, DAY)})
SELECT count(*)::int AS moved FROM moved`;

/** Compacts what is pending; returns the rows moved, or null when another compactor holds the lock. */
export async function compactRollups(): Promise<number | null> {
  const client = await getPool().connect();
  try {
    let total = 0;
    for (;;) {
      await client.query("BEGIN");
      try {
        const locked = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [COMPACTOR_LOCK]);
        if (!locked.rows[0]?.ok) {
          await client.query("ROLLBACK");
          return total > 0 ? total : null;
        }
        const result = await client.query<{ moved: number }>(COMPACT_SQL);
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
