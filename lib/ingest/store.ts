// The one write path: drop events, their counts and drop paths, in one transaction.
//
// Per batch: COPY it into a temp staging table (the fastest bulk path, STACK.md trap 2), insert
// it into drop_events skipping what is already stored (ON CONFLICT DO NOTHING waits for a
// concurrent batch carrying the same events, then skips them), then append the counts of the
// rows really added to drop_counts_pending (compact.ts folds those into the rollups) and upsert
// their drop paths. Counting only what was new keeps retries and overlaps exact.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getPool } from "../db/pool";
import { dropPathId } from "./keys";
import { isKnown, remember, type PathFacts } from "./knownPaths";
import { ensureDayPartitions } from "./partitions";
import type { DropEvent } from "./types";

/** A drop event ready to store: its cluster resolved. */
export type StorableDropEvent = DropEvent & { cluster: string };

const EVENT_COLUMNS = `time, cluster, key, node, verdict, direction, namespace,
  src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
  dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
  protocol, icmp_type, reason, policies, count, sample_rate, source, drop_path_id`;

// One per pooled connection; ON COMMIT DELETE ROWS empties it after every batch.
const CREATE_STAGING = `
CREATE TEMP TABLE IF NOT EXISTS drop_events_staging (
  time timestamptz, cluster text, key text, node text, verdict "Verdict", direction "TrafficDirection", namespace text,
  src_namespace text, src_pod text, src_workload text, src_ip text, src_port int, src_identity bigint, src_labels text[],
  dst_namespace text, dst_pod text, dst_workload text, dst_ip text, dst_port int, dst_identity bigint, dst_labels text[],
  protocol text, icmp_type int, reason text, policies text[], count int, sample_rate int, source "DropSource", drop_path_id bigint
) ON COMMIT DELETE ROWS`;

// Sorted, so concurrent batches take key locks in the same order (no deadlock between them).
const INSERT_NEW_SQL = `
INSERT INTO drop_events (${EVENT_COLUMNS})
SELECT ${EVENT_COLUMNS} FROM drop_events_staging ORDER BY time, cluster, key
ON CONFLICT (time, cluster, key) DO NOTHING
RETURNING time, cluster, key`;

const COUNTS_AND_PATHS_SQL = `
WITH pending AS (
  INSERT INTO drop_counts_pending (bucket, cluster, namespace, direction, verdict, reason, drop_path_id, count)
  SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::"TrafficDirection"[], $5::"Verdict"[],
                       $6::text[], $7::bigint[], $8::bigint[])
)
INSERT INTO drop_paths AS p (cluster, id, namespace, direction, src_namespace, src_workload,
  dst_namespace, dst_workload, dst_port, protocol, first_seen, last_seen, policies, reasons)
SELECT cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port,
  protocol, first_seen, last_seen, policies::text[], reasons::text[]
FROM unnest($9::text[], $10::bigint[], $11::text[], $12::"TrafficDirection"[], $13::text[], $14::text[], $15::text[],
            $16::text[], $17::int[], $18::text[], $19::timestamptz[], $20::timestamptz[], $21::text[], $22::text[])
  AS t(cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port,
       protocol, first_seen, last_seen, policies, reasons)
ORDER BY cluster, id
ON CONFLICT (cluster, id) DO UPDATE SET
  first_seen = least(p.first_seen, excluded.first_seen),
  last_seen = greatest(p.last_seen, excluded.last_seen),
  policies = CASE WHEN excluded.policies <@ p.policies THEN p.policies
    ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.policies || excluded.policies) x) END,
  reasons = CASE WHEN excluded.reasons <@ p.reasons THEN p.reasons
    ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.reasons || excluded.reasons) x) END
-- A batch that brings nothing new about the path (another replica wrote it) leaves the row be.
-- The interval is knownPaths.ts' LAST_SEEN_RESOLUTION_MS.
WHERE excluded.first_seen < p.first_seen
   OR excluded.last_seen >= p.last_seen + interval '30 seconds'
   OR NOT (excluded.policies <@ p.policies)
   OR NOT (excluded.reasons <@ p.reasons)`;

// Deadlocks and serialization failures roll the whole transaction back, so a retry is exact.
const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_ATTEMPTS = 6;

/** A PostgreSQL array literal, e.g. {"a","b\"c"}. */
export function toArrayLiteral(values: readonly string[]): string {
  let literal = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    literal += `${i ? "," : ""}"${v.includes('"') || v.includes("\\") ? v.replace(/[\\"]/g, "\\$&") : v}"`;
  }
  return literal + "}";
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c] ?? c) : value;
}

function copyNumber(value: number | null): string {
  return value === null ? "\\N" : String(value);
}

/** The events as COPY text rows, in EVENT_COLUMNS order. */
export function toCopyRows(events: readonly StorableDropEvent[], pathIds: readonly string[]): string {
  const rows: string[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StorableDropEvent;
    rows[i] =
      `${e.time.toISOString()}\t${copyText(e.cluster)}\t${copyText(e.key)}\t${copyText(e.node)}\t${e.verdict}\t${e.direction}\t${copyText(e.namespace)}\t` +
      `${copyText(e.srcNamespace)}\t${copyText(e.srcPod)}\t${copyText(e.srcWorkload)}\t${copyText(e.srcIp)}\t${copyNumber(e.srcPort)}\t${copyNumber(e.srcIdentity)}\t${copyText(toArrayLiteral(e.srcLabels))}\t` +
      `${copyText(e.dstNamespace)}\t${copyText(e.dstPod)}\t${copyText(e.dstWorkload)}\t${copyText(e.dstIp)}\t${copyNumber(e.dstPort)}\t${copyNumber(e.dstIdentity)}\t${copyText(toArrayLiteral(e.dstLabels))}\t` +
      `${copyText(e.protocol)}\t${copyNumber(e.icmpType)}\t${copyText(e.reason)}\t${copyText(toArrayLiteral(e.policies))}\t${e.count}\t${e.sampleRate}\t${e.source}\t${pathIds[i]}\n`;
  }
  return rows.join("");
}

/** Drop path ids for the events; paths repeat heavily within a batch, so each is hashed once. */
function pathIdsOf(events: readonly StorableDropEvent[]): string[] {
  const cache = new Map<string, string>();
  return events.map((e) => {
    const identity = `${e.cluster}\u001f${e.direction}\u001f${e.srcNamespace}\u001f${e.srcWorkload}\u001f${e.dstNamespace}\u001f${e.dstWorkload}\u001f${e.dstPort}\u001f${e.protocol}`;
    let id = cache.get(identity);
    if (id === undefined) cache.set(identity, (id = dropPathId(e)));
    return id;
  });
}

const MINUTE_MS = 60_000;

interface PathUpdate extends PathFacts {
  key: string;
  e: StorableDropEvent;
  pathId: string;
  policies: Set<string>;
  reasons: Set<string>;
}

/**
 * The parameters of COUNTS_AND_PATHS_SQL: new events' counts per minute and path, and the paths
 * this batch tells something new about (the rest are skipped, see knownPaths.ts).
 */
function countsAndPaths(events: readonly StorableDropEvent[], pathIds: readonly string[]): { params: unknown[]; paths: PathUpdate[] } {
  const counts = new Map<string, { bucket: string; e: StorableDropEvent; pathId: string; count: number }>();
  const paths = new Map<string, PathUpdate>();
  events.forEach((e, i) => {
    const pathId = pathIds[i] as string;
    const at = e.time.getTime();
    const bucket = new Date(Math.floor(at / MINUTE_MS) * MINUTE_MS).toISOString();
    const countKey = `${bucket}\u001f${e.cluster}\u001f${pathId}\u001f${e.verdict}\u001f${e.reason}`;
    const count = counts.get(countKey);
    if (count) count.count += e.count;
    else counts.set(countKey, { bucket, e, pathId, count: e.count });
    const pathKey = `${e.cluster}\u001f${pathId}`;
    const path = paths.get(pathKey);
    if (!path) paths.set(pathKey, { key: pathKey, e, pathId, first: at, last: at, policies: new Set(e.policies), reasons: new Set([e.reason]) });
    else {
      if (at < path.first) path.first = at;
      if (at > path.last) path.last = at;
      for (const policy of e.policies) path.policies.add(policy);
      path.reasons.add(e.reason);
    }
  });
  const c = [...counts.values()];
  const p = [...paths.values()].filter((path) => !isKnown(path.key, path));
  const params = [
    c.map((x) => x.bucket), c.map((x) => x.e.cluster), c.map((x) => x.e.namespace), c.map((x) => x.e.direction),
    c.map((x) => x.e.verdict), c.map((x) => x.e.reason), c.map((x) => x.pathId), c.map((x) => x.count),
    p.map((x) => x.e.cluster), p.map((x) => x.pathId), p.map((x) => x.e.namespace), p.map((x) => x.e.direction),
    p.map((x) => x.e.srcNamespace), p.map((x) => x.e.srcWorkload), p.map((x) => x.e.dstNamespace), p.map((x) => x.e.dstWorkload),
    p.map((x) => x.e.dstPort), p.map((x) => x.e.protocol), p.map((x) => new Date(x.first).toISOString()), p.map((x) => new Date(x.last).toISOString()),
    p.map((x) => toArrayLiteral([...x.policies].sort())), p.map((x) => toArrayLiteral([...x.reasons].sort())),
  ];
  return { params, paths: p };
}

/** What makes a stored event unique (drop_events' primary key), as one string. */
export const eventIdentity = (time: number, cluster: string, key: string) => `${time}\u001f${cluster}\u001f${key}`;

const stagingReady = new WeakSet<pg.ClientBase>();

/** Stores the events (distinct by time, cluster and key); returns how many were new. */
export async function writeDropEvents(events: readonly StorableDropEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const pathIds = pathIdsOf(events);
  const rows = toCopyRows(events, pathIds);
  const client = await getPool().connect();
  try {
    await ensureDayPartitions(client, events.map((e) => e.time));
    if (!stagingReady.has(client)) {
      await client.query(CREATE_STAGING);
      stagingReady.add(client);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeBatch(client, events, pathIds, rows);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  } finally {
    client.release();
  }
}

async function writeBatch(client: pg.PoolClient, events: readonly StorableDropEvent[], pathIds: readonly string[], rows: string): Promise<number> {
  await client.query("BEGIN");
  try {
    await pipeline(Readable.from([rows]), client.query(copyFrom(`COPY drop_events_staging (${EVENT_COLUMNS}) FROM STDIN`)));
    const inserted = await client.query<{ time: Date; cluster: string; key: string }>(INSERT_NEW_SQL);
    if (inserted.rows.length > 0) {
      const added = new Set(inserted.rows.map((r) => eventIdentity(r.time.getTime(), r.cluster, r.key)));
      const freshEvents: StorableDropEvent[] = [];
      const freshPathIds: string[] = [];
      events.forEach((e, i) => {
        if (added.has(eventIdentity(e.time.getTime(), e.cluster, e.key))) {
          freshEvents.push(e);
          freshPathIds.push(pathIds[i] as string);
        }
      });
      const { params, paths } = countsAndPaths(freshEvents, freshPathIds);
      await client.query(COUNTS_AND_PATHS_SQL, params);
      await client.query("COMMIT");
      for (const path of paths) remember(path.key, path);
    } else {
      await client.query("COMMIT");
    }
    return inserted.rows.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function sqlState(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as pg.DatabaseError).code) : "";
}
