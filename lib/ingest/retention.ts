// Retention: raw exemplar rows and event identities are kept `rawDays` (whole day partitions are
// dropped, a day after the cutoff passes them), and so are aggregate batch keys; rollups
// `rollupDays` (buckets before the UTC day that many days ago deleted).
// Ingest refuses records older than the same cutoff (rawCutoff), so a re-sent record is never
// counted again after its identity is gone.
// A session advisory lock keeps one retention pass at a time across replicas.
import type pg from "pg";
import { retentionSettings, type RetentionSettings } from "../config";
import { getPool } from "../db/pool";
import { startBackgroundLoop } from "../system/processes";

const RETENTION_LOCK = 7_020_002;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
// Day partitions of the raw tables, as dropboard_ensure_day_partitions() names them.
const PARTITION_NAME = /^(drop_events|drop_event_keys)_p(\d{4})(\d{2})(\d{2})$/;
const ROLLUP_TABLES = [
  "drop_rollup_minute", "drop_rollup_5m", "drop_rollup_hour", "drop_rollup_day",
  "drop_path_minute", "drop_path_hour", "drop_path_day", "drop_path_hour_total", "drop_path_day_total", "drop_policy_minute", "drop_policy_hour", "drop_policy_day",
];

/** The oldest time still kept raw: the start of the UTC day `rawDays` ago. Ingest accepts nothing older. */
export function rawCutoff(now: Date, rawDays: number): Date {
  return new Date(Math.floor((now.getTime() - rawDays * DAY_MS) / DAY_MS) * DAY_MS);
}

export interface RetentionPass {
  droppedPartitions: string[];
  deletedRollupRows: number;
  /** Aggregate batch keys (ingest_batches) whose newest record left the raw retention. */
  deletedBatchKeys: number;
}

/**
 * One pass; null when another replica's pass holds the lock. Each partition is dropped in its own
 * short transaction: dropping one locks drop_events itself, and ingest must not wait behind the
 * rollup deletes.
 */
export async function applyRetention(now = new Date(), settings: RetentionSettings = retentionSettings()): Promise<RetentionPass | null> {
  const client = await getPool().connect();
  try {
    const locked = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RETENTION_LOCK]);
    if (!locked.rows[0]?.ok) return null;
    try {
      const droppedPartitions: string[] = [];
      for (const name of await expiredPartitions(client, rawCutoff(now, settings.rawDays))) {
        await client.query("BEGIN");
        try {
          // Waiting for readers of drop_events would queue ingest behind us: give up until the next pass.
          await client.query("SET LOCAL lock_timeout = '2s'");
          await client.query(`DROP TABLE IF EXISTS ${client.escapeIdentifier(name)}`);
          await client.query("COMMIT");
          droppedPartitions.push(name);
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }
      // Whole UTC days, like the raw cutoff: a day rollup row and the hours and minutes inside it
      // leave together, so every granularity holds the same span (a read tiling a range with day,
      // hour and 5-minute rows counts what a read of minutes counts).
      const rollupCutoff = rawCutoff(now, settings.rollupDays);
      let deletedRollupRows = 0;
      // One transaction with the generation bump: reused rollout-health reads (which count what is
      // deleted) are void exactly when the deletes show (lib/queries/rollouts/sealedPathCounts.ts).
      await client.query("BEGIN");
      try {
        for (const table of ROLLUP_TABLES) {
          deletedRollupRows += (await client.query(`DELETE FROM ${table} WHERE bucket < $1`, [rollupCutoff])).rowCount ?? 0;
        }
        if (deletedRollupRows > 0) {
          await client.query(
            `INSERT INTO rollup_hour_versions AS v (hour, version) VALUES ('-infinity', 1) ON CONFLICT (hour) DO UPDATE SET version = v.version + 1`,
          );
          await client.query(`DELETE FROM rollup_hour_versions WHERE hour > '-infinity' AND hour < $1`, [rollupCutoff]);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
      // An aggregate batch's key is kept while a re-send could still be accepted (any of its records
      // inside the raw retention), with the partitions' day of margin.
      const batchCutoff = new Date(rawCutoff(now, settings.rawDays).getTime() - DAY_MS);
      const deletedBatchKeys = (await client.query("DELETE FROM ingest_batches WHERE newest < $1", [batchCutoff])).rowCount ?? 0;
      return { droppedPartitions, deletedRollupRows, deletedBatchKeys };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** Raw day partitions (events and identities) wholly older than the cutoff, by a day's margin. */
async function expiredPartitions(client: pg.PoolClient, cutoff: Date): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname IN ('drop_events', 'drop_event_keys')`,
  );
  return rows
    .map((r) => r.name)
    .filter((name) => {
      const match = PARTITION_NAME.exec(name);
      if (!match) return false;
      const day = Date.UTC(Number(match[2]), Number(match[3]) - 1, Number(match[4]));
      // A day's margin: an ingest that judged a record's age just before midnight may still be
      // writing into the cutoff's eve; its partition must still be there.
      return day + 2 * DAY_MS <= cutoff.getTime();
    })
    .sort();
}

/** Runs applyRetention hourly (first a minute after start); errors are logged, never thrown. */
export function startRetention(intervalMs = HOUR_MS): { stop(): void } {
  return startBackgroundLoop(
    "retention",
    intervalMs,
    async () => {
      const pass = await applyRetention();
      if (pass && (pass.droppedPartitions.length > 0 || pass.deletedRollupRows > 0 || pass.deletedBatchKeys > 0)) {
        console.log(
          `[retention] dropped ${pass.droppedPartitions.length} raw day partition(s), deleted ${pass.deletedRollupRows} rollup row(s) and ${pass.deletedBatchKeys} aggregate batch key(s)`,
        );
      }
    },
    60_000,
  );
}
