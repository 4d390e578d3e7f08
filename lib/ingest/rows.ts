// Raw drop_events rows: the columns, and the events as COPY text (PostgreSQL's text format).
import type { DropEvent } from "./types";

/** An event whose cluster is resolved: what a raw row needs. */
export type RowEvent = DropEvent & { cluster: string };

export const EVENT_COLUMNS = `time, cluster, key, node, verdict, direction, namespace,
  src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
  dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels,
  protocol, icmp_type, reason, policies, count, sample_rate, source, drop_path_id`;

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

