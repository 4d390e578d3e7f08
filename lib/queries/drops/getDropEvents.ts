// Raw drop events, newest first, keyset-paged on (time, cluster, key): the primary key, so a
// page costs the same however deep it is. These are exemplars: every drop is counted, but only
// the first few per drop path and minute are kept as rows (lib/ingest/exemplars.ts).
import { exemplarsPerPathMinute } from "../../config";
import type { DropEvent } from "../../ingest/types";
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { isSaneTime, type TimeRange } from "../timeRange";
import { filterConditions, ROLLUP_COLUMNS, type DropFilters } from "./filters";

export interface DropEventsQuery extends DropFilters, TimeRange {
  limit: number;
  cursor?: EventCursor;
  /** Only the events of this drop path (its id). */
  dropPath?: string;
  /** Free text matched against pod and workload names (case-insensitive substring). */
  search?: string;
}

export interface EventCursor {
  time: Date;
  cluster: string;
  key: string;
}

export type StoredDropEvent = Omit<DropEvent, "time"> & { time: string; cluster: string; dropPathId: string; ingestedAt: string };

export interface DropEventsPage {
  events: StoredDropEvent[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** Raw events kept per drop path per minute (the rest are counted only); null: all are kept. */
  keptPerPathMinute: number | null;
}

export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify([cursor.time.toISOString(), cursor.cluster, cursor.key])).toString("base64url");
}

/** The cursor, or null when it is not one of ours. */
export function decodeCursor(text: string): EventCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === "string")) return null;
    const [time, cluster, key] = value as [string, string, string];
    const date = new Date(time);
    // PostgreSQL text cannot hold NUL: such a cursor is not one of ours (400, not a failed query).
    if (!isSaneTime(date) || cluster.includes("\u0000") || key.includes("\u0000")) return null;
    return { time: date, cluster, key };
  } catch {
    return null;
  }
}

interface Row {
  time: Date;
  cluster: string;
  key: string;
  node: string | null;
  verdict: DropEvent["verdict"];
  direction: DropEvent["direction"];
  namespace: string;
  src_namespace: string | null;
  src_pod: string | null;
  src_workload: string | null;
  src_ip: string | null;
  src_port: number | null;
  src_identity: string | null;
  src_labels: string[] | null;
  dst_namespace: string | null;
  dst_pod: string | null;
  dst_workload: string | null;
  dst_ip: string | null;
  dst_port: number | null;
  dst_identity: string | null;
  dst_labels: string[] | null;
  protocol: string;
  icmp_type: number | null;
  reason: string;
  policies: string[] | null;
  count: number;
  sample_rate: number;
  source: DropEvent["source"];
  drop_path_id: string;
  ingested_at: Date;
}

export async function getDropEvents(query: DropEventsQuery): Promise<DropEventsPage> {
  const params = new SqlParams();
  const conditions = [
    `time >= ${params.add(query.from)}`,
    `time < ${params.add(query.to)}`,
    ...filterConditions(query, { ...ROLLUP_COLUMNS, policy: "policies" }, params),
  ];
  if (query.cursor) {
    conditions.push(
      `(time, cluster, key) < (${params.add(query.cursor.time)}::timestamptz, ${params.add(query.cursor.cluster)}::text, ${params.add(query.cursor.key)}::text)`,
    );
  }
  if (query.dropPath) conditions.push(`drop_path_id = ${params.add(query.dropPath)}::bigint`);
  if (query.search) {
    const pattern = params.add(`%${query.search.replace(/[\\%_]/g, "\\$&")}%`);
    conditions.push(`(src_pod ILIKE ${pattern} OR dst_pod ILIKE ${pattern} OR src_workload ILIKE ${pattern} OR dst_workload ILIKE ${pattern})`);
  }
  const sql = `
    SELECT time, cluster, key, node, verdict, direction, namespace, src_namespace, src_pod, src_workload, src_ip, src_port,
           src_identity, src_labels, dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
           protocol, icmp_type, reason, policies, count, sample_rate, source, drop_path_id::text AS drop_path_id, ingested_at
    FROM drop_events
    WHERE ${conditions.join(" AND ")}
    ORDER BY time DESC, cluster DESC, key DESC
    LIMIT ${params.add(query.limit + 1)}`;
  const { rows } = await readQuery<Row>(sql, params.values);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    events: page.map(toEvent),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ time: last.time, cluster: last.cluster, key: last.key }) : null,
    keptPerPathMinute: exemplarsPerPathMinute(),
  };
}

function toEvent(row: Row): StoredDropEvent {
  return {
    time: row.time.toISOString(),
    cluster: row.cluster,
    key: row.key,
    node: row.node,
    verdict: row.verdict,
    direction: row.direction,
    namespace: row.namespace,
    srcNamespace: row.src_namespace,
    srcPod: row.src_pod,
    srcWorkload: row.src_workload,
    srcIp: row.src_ip,
    srcPort: row.src_port,
    srcIdentity: row.src_identity === null ? null : Number(row.src_identity),
    srcLabels: row.src_labels ?? [],
    dstNamespace: row.dst_namespace,
    dstPod: row.dst_pod,
    dstWorkload: row.dst_workload,
    dstIp: row.dst_ip,
    dstPort: row.dst_port,
    dstIdentity: row.dst_identity === null ? null : Number(row.dst_identity),
    dstLabels: row.dst_labels ?? [],
    protocol: row.protocol,
    icmpType: row.icmp_type,
    reason: row.reason,
    policies: row.policies ?? [],
    count: row.count,
    sampleRate: row.sample_rate,
    source: row.source,
    dropPathId: row.drop_path_id,
    ingestedAt: row.ingested_at.toISOString(),
  };
}
