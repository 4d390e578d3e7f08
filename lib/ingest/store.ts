// The one write path: drop events, minute/hour rollups, drop paths and per-path counts in one
// statement (so one transaction), with bulk arrays through unnest (STACK.md, trap 2).
// Rollups and paths count only the rows the insert really added, so a re-sent batch adds nothing.
import type pg from "pg";
import { getPool } from "../db/pool";
import { dropPathId } from "./keys";
import { ensureDayPartitions } from "./partitions";
import type { DropEvent } from "./types";

/** A drop event ready to store: its cluster resolved. */
export type StorableDropEvent = DropEvent & { cluster: string };

const WRITE_SQL = `
WITH input AS (
  SELECT * FROM unnest(
    $1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::bigint[], $14::text[],
    $15::text[], $16::text[], $17::text[], $18::text[], $19::int[], $20::bigint[], $21::text[],
    $22::text[], $23::int[], $24::text[], $25::text[], $26::int[], $27::text[], $28::bigint[]
  ) AS t(time, cluster, key, node, verdict, direction, namespace,
         src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
         dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
         protocol, icmp_type, reason, policies, count, source, drop_path_id)
),
inserted AS (
  INSERT INTO drop_events (time, cluster, key, node, verdict, direction, namespace,
    src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
    dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
    protocol, icmp_type, reason, policies, count, source, drop_path_id)
  SELECT time, cluster, key, node, verdict::"Verdict", direction::"TrafficDirection", namespace,
    src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels::text[],
    dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels::text[],
    protocol, icmp_type, reason, policies::text[], count, source::"DropSource", drop_path_id
  FROM input
  ORDER BY time, cluster, key
  ON CONFLICT (time, cluster, key) DO NOTHING
  RETURNING time, cluster, namespace, direction, verdict, reason, count, drop_path_id, policies,
    src_namespace, src_workload, dst_namespace, dst_workload, dst_port, protocol
),
rollup_minute AS (
  INSERT INTO drop_rollup_minute AS r (bucket, cluster, namespace, direction, verdict, reason, count)
  SELECT date_trunc('minute', time), cluster, namespace, direction, verdict, reason, sum(count)
  FROM inserted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, cluster, namespace, direction, verdict, reason)
  DO UPDATE SET count = r.count + excluded.count
),
rollup_hour AS (
  INSERT INTO drop_rollup_hour AS r (bucket, cluster, namespace, direction, verdict, reason, count)
  SELECT date_trunc('hour', time), cluster, namespace, direction, verdict, reason, sum(count)
  FROM inserted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, cluster, namespace, direction, verdict, reason)
  DO UPDATE SET count = r.count + excluded.count
),
path_policies AS (
  SELECT cluster, drop_path_id, array_agg(DISTINCT policy ORDER BY policy) AS policies
  FROM inserted, unnest(policies) AS policy
  GROUP BY 1, 2
),
paths AS (
  INSERT INTO drop_paths AS p (cluster, id, namespace, direction, src_namespace, src_workload,
    dst_namespace, dst_workload, dst_port, protocol, first_seen, last_seen, dropped_count, audit_count,
    policies, reasons)
  SELECT i.cluster, i.drop_path_id, min(i.namespace), min(i.direction::text)::"TrafficDirection",
    min(i.src_namespace), min(i.src_workload), min(i.dst_namespace), min(i.dst_workload),
    min(i.dst_port), min(i.protocol), min(i.time), max(i.time),
    coalesce(sum(i.count) FILTER (WHERE i.verdict = 'DROPPED'), 0),
    coalesce(sum(i.count) FILTER (WHERE i.verdict = 'AUDIT'), 0),
    coalesce(min(pp.policies), '{}'), array_agg(DISTINCT i.reason ORDER BY i.reason)
  FROM inserted i LEFT JOIN path_policies pp USING (cluster, drop_path_id)
  GROUP BY i.cluster, i.drop_path_id ORDER BY 1, 2
  ON CONFLICT (cluster, id) DO UPDATE SET
    first_seen = least(p.first_seen, excluded.first_seen),
    last_seen = greatest(p.last_seen, excluded.last_seen),
    dropped_count = p.dropped_count + excluded.dropped_count,
    audit_count = p.audit_count + excluded.audit_count,
    policies = CASE WHEN excluded.policies <@ p.policies THEN p.policies
      ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.policies || excluded.policies) x) END,
    reasons = CASE WHEN excluded.reasons <@ p.reasons THEN p.reasons
      ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.reasons || excluded.reasons) x) END
),
path_minute AS (
  INSERT INTO drop_path_minute AS r (bucket, cluster, drop_path_id, verdict, reason, count)
  SELECT date_trunc('minute', time), cluster, drop_path_id, verdict, reason, sum(count)
  FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (bucket, cluster, drop_path_id, verdict, reason)
  DO UPDATE SET count = r.count + excluded.count
),
path_hour AS (
  INSERT INTO drop_path_hour AS r (bucket, cluster, drop_path_id, verdict, reason, count)
  SELECT date_trunc('hour', time), cluster, drop_path_id, verdict, reason, sum(count)
  FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (bucket, cluster, drop_path_id, verdict, reason)
  DO UPDATE SET count = r.count + excluded.count
)
SELECT count(*)::int AS inserted FROM inserted
`;

// Deadlock and serialization failures roll the whole statement back, so a retry is exact.
const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_ATTEMPTS = 5;

/** A PostgreSQL array literal: unnest cannot take ragged 2-D arrays, so each row's list travels as text. */
export function toArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

function toColumns(events: readonly StorableDropEvent[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 28 }, () => new Array<unknown>(events.length));
  events.forEach((e, i) => {
    const row = [
      e.time, e.cluster, e.key, e.node, e.verdict, e.direction, e.namespace,
      e.srcNamespace, e.srcPod, e.srcWorkload, e.srcIp, e.srcPort, e.srcIdentity, toArrayLiteral(e.srcLabels),
      e.dstNamespace, e.dstPod, e.dstWorkload, e.dstIp, e.dstPort, e.dstIdentity, toArrayLiteral(e.dstLabels),
      e.protocol, e.icmpType, e.reason, toArrayLiteral(e.policies), e.count, e.source, dropPathId(e),
    ];
    row.forEach((value, c) => {
      (columns[c] as unknown[])[i] = value;
    });
  });
  return columns;
}

// Large requests are written in chunks inside one transaction: bounded statement size, same atomicity.
const CHUNK_SIZE = 5_000;

/** Stores the events; returns how many were new (the rest were already stored). */
export async function writeDropEvents(events: readonly StorableDropEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const chunks: unknown[][][] = [];
  for (let i = 0; i < events.length; i += CHUNK_SIZE) chunks.push(toColumns(events.slice(i, i + CHUNK_SIZE)));
  const client = await getPool().connect();
  try {
    await ensureDayPartitions(client, events.map((e) => e.time));
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeChunks(client, chunks);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  } finally {
    client.release();
  }
}

async function writeChunks(client: pg.PoolClient, chunks: unknown[][][]): Promise<number> {
  if (chunks.length === 1) {
    const result = await client.query<{ inserted: number }>(WRITE_SQL, chunks[0]);
    return result.rows[0]?.inserted ?? 0;
  }
  await client.query("BEGIN");
  try {
    let inserted = 0;
    for (const columns of chunks) {
      const result = await client.query<{ inserted: number }>(WRITE_SQL, columns);
      inserted += result.rows[0]?.inserted ?? 0;
    }
    await client.query("COMMIT");
    return inserted;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function sqlState(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as pg.DatabaseError).code) : "";
}
