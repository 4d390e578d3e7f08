// Aggregate batches (aggregate.ts): counts per path-minute from a collector that counted at the
// edge, stored without per-event identities: the batch's key goes into ingest_batches instead.
import type pg from "pg";
import { exemplarsPerPathMinute } from "../config";
import { getPool } from "../db/pool";
import { chooseExemplars } from "./exemplars";
import { dropPathText, type DropPathIdentity } from "./keys";
import { remember } from "./knownPaths";
import { ensureDayPartitions } from "./partitions";
import { batchPath, COUNTS_AND_PATHS_SQL, paramsOf, type BatchPath, type PathUpdate } from "./pathUpdates";
import { EVENT_COLUMNS, type RowEvent } from "./rows";
import { MAX_ATTEMPTS, RETRYABLE, sqlState } from "./transactionRetry";
import type { TrafficDirection, Verdict } from "./types";


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
