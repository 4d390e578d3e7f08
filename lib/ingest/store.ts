// The one write path: drop events, their counts and drop paths, in one transaction.
//
// Per batch: record the events' identities in drop_event_keys, skipping those already there
// (ON CONFLICT DO NOTHING waits for a concurrent batch carrying the same events, then skips
// them). Only the events really added go further: their counts are appended to
// drop_counts_pending (compact.ts folds those into the rollups), their drop paths upserted, and
// the first few per drop path and minute COPYed into drop_events as exemplars (exemplars.ts).
// Counting only what was new keeps retries and overlaps exact; keeping only exemplars keeps the
// wide rows, the expensive part, bounded.
//
// Aggregate batches take the same path without per-event identities (storeAggregate.ts). Raw rows
// are rows.ts, what a batch tells about its paths pathUpdates.ts.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getPool } from "../db/pool";
import { exemplarsPerPathMinute } from "../config";
import { chooseExemplars } from "./exemplars";
import { remember } from "./knownPaths";
import type { StorableDropEvent } from "./normalise";
import { ensureDayPartitions } from "./partitions";
import { COUNTS_AND_PATHS_SQL, countsAndPaths, pathsOf, type BatchPath } from "./pathUpdates";
import { EVENT_COLUMNS, toArrayLiteral, toCopyRows } from "./rows";
import { MAX_ATTEMPTS, RETRYABLE, sqlState } from "./transactionRetry";

export type { StorableDropEvent } from "./normalise";

// Sorted, so concurrent batches take key locks in the same order (no deadlock between them).
const INSERT_NEW_KEYS_SQL = `
INSERT INTO drop_event_keys (time, cluster, identity)
SELECT timestamptz 'epoch' + ms * interval '1 millisecond', cluster, identity
FROM unnest($1::bigint[], $2::text[], $3::uuid[]) AS k(ms, cluster, identity) ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING
RETURNING identity`;

/** Stores the events (distinct by identity); returns how many new ones count (annotations, count 0, do not). */
export async function writeDropEvents(events: readonly StorableDropEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const eventPaths = pathsOf(events);
  // Array literals built here: numbers and UUIDs need no quoting, and pg's per-element escaping
  // is a measurable share of a batch.
  const keyParams = [
    `{${events.map((e) => e.time.getTime()).join(",")}}`,
    toArrayLiteral(events.map((e) => e.cluster)),
    `{${events.map((e) => e.identity).join(",")}}`,
  ];
  const client = await getPool().connect();
  try {
    await ensureDayPartitions(client, events.map((e) => e.time));
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeBatch(client, events, eventPaths, keyParams);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  } finally {
    client.release();
  }
}

async function writeBatch(client: pg.PoolClient, events: readonly StorableDropEvent[], eventPaths: readonly BatchPath[], keyParams: unknown[]): Promise<number> {
  await client.query("BEGIN");
  try {
    const inserted = await client.query<{ identity: string }>(INSERT_NEW_KEYS_SQL, keyParams);
    if (inserted.rows.length === 0) {
      await client.query("COMMIT");
      return 0;
    }
    const added = new Set(inserted.rows.map((r) => r.identity));
    const freshEvents: StorableDropEvent[] = [];
    const freshPaths: BatchPath[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as StorableDropEvent;
      if (added.has(e.identity)) {
        freshEvents.push(e);
        freshPaths.push(eventPaths[i] as BatchPath);
      }
    }
    const exemplars = chooseExemplars(freshEvents, freshPaths, exemplarsPerPathMinute());
    if (exemplars.length > 0) {
      const rows = toCopyRows(exemplars.map((i) => freshEvents[i] as StorableDropEvent), exemplars.map((i) => (freshPaths[i] as BatchPath).id));
      await pipeline(Readable.from([rows]), client.query(copyFrom(`COPY drop_events (${EVENT_COLUMNS}) FROM STDIN`)));
    }
    const { params, paths } = countsAndPaths(freshEvents, freshPaths);
    await client.query(COUNTS_AND_PATHS_SQL, params);
    await client.query("COMMIT");
    for (const update of paths) remember(update.path.key, update);
    return freshEvents.reduce((n, e) => (e.count > 0 ? n + 1 : n), 0);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

