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
// Aggregate batches (a collector that counted at the edge, aggregate.ts) take the same path without
// per-event identities: the batch's key goes into ingest_batches instead (one row per cluster it
// holds), and only the path-minutes of clusters whose key was new are counted, in the same
// transaction, with the same counts, path upserts and exemplar COPY.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getPool } from "../db/pool";
import { exemplarsPerPathMinute } from "../config";
import { chooseExemplars } from "./exemplars";
import { dropPathIdOfText, dropPathText, type DropPathIdentity } from "./keys";
import { isKnown, remember, type PathFacts } from "./knownPaths";
import type { StorableDropEvent } from "./normalise";
import { ensureDayPartitions } from "./partitions";
import type { DropEvent, TrafficDirection, Verdict } from "./types";

export type { StorableDropEvent } from "./normalise";

/** An event whose cluster is resolved: what a raw row needs. */
type RowEvent = DropEvent & { cluster: string };

const EVENT_COLUMNS = `time, cluster, key, node, verdict, direction, namespace,
  src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
  dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
  protocol, icmp_type, reason, policies, count, sample_rate, source, drop_path_id`;

// Sorted, so concurrent batches take key locks in the same order (no deadlock between them).
const INSERT_NEW_KEYS_SQL = `
INSERT INTO drop_event_keys (time, cluster, identity)
SELECT timestamptz 'epoch' + ms * interval '1 millisecond', cluster, identity
FROM unnest($1::bigint[], $2::text[], $3::uuid[]) AS k(ms, cluster, identity) ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING
RETURNING identity`;

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
export function toCopyRows(events: readonly RowEvent[], pathIds: readonly string[]): string {
  const rows: string[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as RowEvent;
    rows[i] =
      `${e.time.toISOString()}\t${copyText(e.cluster)}\t${copyText(e.key)}\t${copyText(e.node)}\t${e.verdict}\t${e.direction}\t${copyText(e.namespace)}\t` +
      `${copyText(e.srcNamespace)}\t${copyText(e.srcPod)}\t${copyText(e.srcWorkload)}\t${copyText(e.srcIp)}\t${copyNumber(e.srcPort)}\t${copyNumber(e.srcIdentity)}\t${copyText(toArrayLiteral(e.srcLabels))}\t` +
      `${copyText(e.dstNamespace)}\t${copyText(e.dstPod)}\t${copyText(e.dstWorkload)}\t${copyText(e.dstIp)}\t${copyNumber(e.dstPort)}\t${copyNumber(e.dstIdentity)}\t${copyText(toArrayLiteral(e.dstLabels))}\t` +
      `${copyText(e.protocol)}\t${copyNumber(e.icmpType)}\t${copyText(e.reason)}\t${copyText(toArrayLiteral(e.policies))}\t${e.count}\t${e.sampleRate}\t${e.source}\t${pathIds[i]}\n`;
  }
  return rows.join("");
}

/** What drop_paths holds of a path besides its facts: its identity and the namespace charts file it under. */
type PathRow = DropPathIdentity & { namespace: string };

/** A drop path of a batch: its id, and the first event on it (the path's fields are the same in every one). */
interface BatchPath {
  id: string;
  /** cluster + id: drop_paths' key, and knownPaths.ts' */
  key: string;
  e: PathRow;
}

function batchPath(identity: string, e: PathRow): BatchPath {
  const id = dropPathIdOfText(identity);
  // The id is digits, so the last U+001F ends the cluster: distinct paths, distinct keys.
  return { id, key: `${e.cluster}\u001f${id}`, e };
}

/** Each event's drop path; paths repeat heavily within a batch, so each is hashed once. */
function pathsOf(events: readonly StorableDropEvent[]): BatchPath[] {
  const byIdentity = new Map<string, BatchPath>();
  return events.map((e) => {
    // The text the id hashes: equal texts are the same path, whatever the names hold (keys.ts).
    const identity = dropPathText(e);
    let path = byIdentity.get(identity);
    if (path === undefined) byIdentity.set(identity, (path = batchPath(identity, e)));
    return path;
  });
}

const MINUTE_MS = 60_000;

/** What a count row says besides its minute, path and count. */
interface CountFacts {
  cluster: string;
  namespace: string;
  direction: TrafficDirection;
  verdict: Verdict;
  reason: string;
}

interface PathUpdate extends PathFacts {
  path: BatchPath;
  policies: Set<string>;
  reasons: Set<string>;
  /** minute + verdict + reason -> the count row */
  counts: Map<string, { minute: number; e: CountFacts; path: BatchPath; count: number }>;
}

/**
 * The parameters of COUNTS_AND_PATHS_SQL: new events' counts per minute and path, and the paths
 * this batch tells something new about (the rest are skipped, see knownPaths.ts).
 */
function countsAndPaths(events: readonly StorableDropEvent[], eventPaths: readonly BatchPath[]): { params: unknown[]; paths: PathUpdate[] } {
  const updates = new Map<BatchPath, PathUpdate>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StorableDropEvent;
    const path = eventPaths[i] as BatchPath;
    const at = e.time.getTime();
    const minute = at - (at % MINUTE_MS);
    let update = updates.get(path);
    if (update === undefined) {
      updates.set(path, (update = { path, first: at, last: at, policies: new Set(e.policies), reasons: new Set([e.reason]), counts: new Map() }));
    } else {
      if (at < update.first) update.first = at;
      if (at > update.last) update.last = at;
      for (const policy of e.policies) update.policies.add(policy);
      update.reasons.add(e.reason);
    }
    // An annotation (count 0: another record counts its drop) adds path facts, not a count row.
    if (e.count === 0) continue;
    const countKey = `${minute}\u001f${e.verdict}\u001f${e.reason}`;
    const count = update.counts.get(countKey);
    if (count) count.count += e.count;
    else update.counts.set(countKey, { minute, e, path, count: e.count });
  }
  return paramsOf([...updates.values()]);
}

/** COUNTS_AND_PATHS_SQL's parameters for these path updates: every count row, and the paths not already known. */
function paramsOf(updates: readonly PathUpdate[]): { params: unknown[]; paths: PathUpdate[] } {
  const c = updates.flatMap((u) => [...u.counts.values()]);
  const p = updates.filter((u) => !isKnown(u.path.key, u));
  const params = [
    c.map((x) => new Date(x.minute).toISOString()), c.map((x) => x.e.cluster), c.map((x) => x.e.namespace), c.map((x) => x.e.direction),
    c.map((x) => x.e.verdict), c.map((x) => x.e.reason), c.map((x) => x.path.id), c.map((x) => x.count),
    p.map((x) => x.path.e.cluster), p.map((x) => x.path.id), p.map((x) => x.path.e.namespace), p.map((x) => x.path.e.direction),
    p.map((x) => x.path.e.srcNamespace), p.map((x) => x.path.e.srcWorkload), p.map((x) => x.path.e.dstNamespace), p.map((x) => x.path.e.dstWorkload),
    p.map((x) => x.path.e.dstPort), p.map((x) => x.path.e.protocol), p.map((x) => new Date(x.first).toISOString()), p.map((x) => new Date(x.last).toISOString()),
    p.map((x) => toArrayLiteral([...x.policies].sort())), p.map((x) => toArrayLiteral([...x.reasons].sort())),
  ];
  return { params, paths: p };
}

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

function sqlState(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as pg.DatabaseError).code) : "";
}

// ---------------------------------------------------------------------------------------------
// Aggregate batches (aggregate.ts): counts per path-minute from a collector, no per-event identities.

/** A path-minute ready to store: its cluster resolved, its examples' clusters too. */
export interface StorablePathMinute extends DropPathIdentity {
  direction: TrafficDirection;
  /** The minute's start, epoch ms; first/last: ms into it. */
  minute: number;
  first: number;
  last: number;
  namespace: string;
  policies: readonly string[];
  reasons: readonly string[];
  counts: readonly { verdict: Verdict; reason: string; count: number }[];
  examples: readonly RowEvent[];
}

/** The batch's idempotency key: one row per cluster it holds, in ingest_batches. */
export interface AggregateBatchKey {
  collector: string;
  batch: string;
}

const INSERT_EXAMPLES_SQL = `
INSERT INTO drop_events (${EVENT_COLUMNS})
SELECT ${EVENT_COLUMNS} FROM json_populate_recordset(NULL::drop_events, $1::json)
ON CONFLICT DO NOTHING`;

/** The events as a JSON array of drop_events rows (column names as keys), for INSERT_EXAMPLES_SQL. */
function toJsonRows(events: readonly RowEvent[], pathIds: readonly string[]): string {
  return JSON.stringify(
    events.map((e, i) => ({
      time: e.time.toISOString(), cluster: e.cluster, key: e.key, node: e.node, verdict: e.verdict, direction: e.direction, namespace: e.namespace,
      src_namespace: e.srcNamespace, src_pod: e.srcPod, src_workload: e.srcWorkload, src_ip: e.srcIp, src_port: e.srcPort, src_identity: e.srcIdentity,
      src_labels: e.srcLabels, dst_namespace: e.dstNamespace, dst_pod: e.dstPod, dst_workload: e.dstWorkload, dst_ip: e.dstIp, dst_port: e.dstPort,
      dst_identity: e.dstIdentity, dst_labels: e.dstLabels, protocol: e.protocol, icmp_type: e.icmpType, reason: e.reason, policies: e.policies,
      count: e.count, sample_rate: e.sampleRate, source: e.source, drop_path_id: pathIds[i],
    })),
  );
}

// Sorted by cluster, so concurrent batches take key locks in the same order.
const INSERT_BATCH_KEYS_SQL = `
INSERT INTO ingest_batches (cluster, collector, batch, newest)
SELECT cluster, $2, $3, newest FROM unnest($1::text[], $4::timestamptz[]) AS k(cluster, newest) ORDER BY cluster
ON CONFLICT DO NOTHING
RETURNING cluster`;

/**
 * Stores an aggregate batch's path-minutes in one transaction with its key: only the clusters
 * whose key was new are counted (a re-sent batch adds nothing). Returns those clusters.
 */
export async function writeAggregate(key: AggregateBatchKey, pathMinutes: readonly StorablePathMinute[]): Promise<Set<string>> {
  if (pathMinutes.length === 0) return new Set();
  // The newest minute per cluster: retention keeps the key while a re-send could still be accepted.
  const newest = new Map<string, number>();
  for (const p of pathMinutes) newest.set(p.cluster, Math.max(newest.get(p.cluster) ?? 0, p.minute + p.last));
  const clusters = [...newest.keys()];
  const keyParams = [clusters, key.collector, key.batch, clusters.map((c) => new Date(newest.get(c) as number).toISOString())];
  const client = await getPool().connect();
  try {
    const exampleTimes = pathMinutes.flatMap((p) => p.examples.map((e) => e.time));
    if (exampleTimes.length > 0) await ensureDayPartitions(client, exampleTimes);
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeAggregateBatch(client, keyParams, pathMinutes);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  } finally {
    client.release();
  }
}

async function writeAggregateBatch(client: pg.PoolClient, keyParams: unknown[], pathMinutes: readonly StorablePathMinute[]): Promise<Set<string>> {
  await client.query("BEGIN");
  try {
    const inserted = await client.query<{ cluster: string }>(INSERT_BATCH_KEYS_SQL, keyParams);
    const fresh = new Set(inserted.rows.map((r) => r.cluster));
    if (fresh.size === 0) {
      await client.query("COMMIT");
      return fresh;
    }
    const byIdentity = new Map<string, BatchPath>();
    const updates = new Map<BatchPath, PathUpdate>();
    const examples: RowEvent[] = [];
    const examplePaths: BatchPath[] = [];
    for (const p of pathMinutes) {
      if (!fresh.has(p.cluster)) continue;
      const identity = dropPathText(p);
      let path = byIdentity.get(identity);
      if (path === undefined) byIdentity.set(identity, (path = batchPath(identity, p)));
      const first = p.minute + p.first;
      const last = p.minute + p.last;
      let update = updates.get(path);
      if (update === undefined) updates.set(path, (update = { path, first, last, policies: new Set(), reasons: new Set(), counts: new Map() }));
      else {
        if (first < update.first) update.first = first;
        if (last > update.last) update.last = last;
      }
      for (const policy of p.policies) update.policies.add(policy);
      for (const reason of p.reasons) update.reasons.add(reason);
      for (const c of p.counts) {
        update.reasons.add(c.reason);
        const countKey = `${p.minute}\u001f${c.verdict}\u001f${c.reason}`;
        const row = update.counts.get(countKey);
        if (row) row.count += c.count;
        else update.counts.set(countKey, { minute: p.minute, e: { cluster: p.cluster, namespace: p.namespace, direction: p.direction, verdict: c.verdict, reason: c.reason }, path, count: c.count });
      }
      for (const e of p.examples) {
        examples.push(e);
        examplePaths.push(path);
      }
    }
    // The collector chose its examples by the same rules; this process's budget bounds them again.
    // An example may already be stored (a flow two collectors read, an annotation read again): no
    // identity was checked for it, so it is inserted unless its row is there, where events are COPYed.
    const kept = chooseExemplars(examples, examplePaths, exemplarsPerPathMinute());
    if (kept.length > 0) {
      const rows = toJsonRows(kept.map((i) => examples[i] as RowEvent), kept.map((i) => (examplePaths[i] as BatchPath).id));
      await client.query(INSERT_EXAMPLES_SQL, [rows]);
    }
    const { params, paths } = paramsOf([...updates.values()]);
    await client.query(COUNTS_AND_PATHS_SQL, params);
    await client.query("COMMIT");
    for (const update of paths) remember(update.path.key, update);
    return fresh;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
