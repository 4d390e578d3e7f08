// Builds a DropEvent from what a format knows: everything a source does not report is null or
// empty, and the namespace whose policy dropped it follows from the direction.
import { policyNamespace, type DropEvent } from "../types";

type Required = "time" | "verdict" | "direction" | "protocol" | "reason" | "count" | "source" | "key";

export type DropEventFields = Pick<DropEvent, Required> & Partial<Omit<DropEvent, Required>>;

export function buildDropEvent(fields: DropEventFields): DropEvent {
  const srcNamespace = fields.srcNamespace ?? null;
  const dstNamespace = fields.dstNamespace ?? null;
  return {
    cluster: null,
    node: null,
    srcPod: null,
    srcWorkload: null,
    srcIp: null,
    srcPort: null,
    srcIdentity: null,
    srcLabels: [],
    dstPod: null,
    dstWorkload: null,
    dstIp: null,
    dstPort: null,
    dstIdentity: null,
    dstLabels: [],
    icmpType: null,
    policies: [],
    sampleRate: 1,
    ...fields,
    srcNamespace,
    dstNamespace,
    namespace: fields.namespace ?? policyNamespace(fields.direction, srcNamespace, dstNamespace),
  };
}

/** Time from UNIX seconds (number or numeric string), milliseconds when `unit` says so, or RFC 3339 text. */
export function readTime(value: unknown, unit: "s" | "ms" = "s"): Date | null {
  const scale = unit === "s" ? 1000 : 1;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return new Date(value * scale);
  if (typeof value === "string" && value !== "") {
    const time = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * scale) : new Date(value);
    return Number.isNaN(time.getTime()) ? null : time;
  }
  return null;
}

const IP_PROTOCOLS: Record<number, string> = { 1: "ICMPv4", 6: "TCP", 17: "UDP", 58: "ICMPv6", 132: "SCTP" };

/** Protocol names as Hubble writes them (TCP, UDP, SCTP, ICMPv4, ICMPv6), from a name or an IP protocol number. */
export function protocolName(value: unknown): string {
  if (typeof value === "number") return IP_PROTOCOLS[value] ?? `IP-${value}`;
  if (typeof value !== "string" || value === "") return "UNKNOWN";
  if (/^\d+$/.test(value)) return protocolName(Number(value));
  const upper = value.toUpperCase();
  if (upper === "ICMP") return "ICMPv4";
  if (upper === "ICMPV6" || upper === "IPV6-ICMP") return "ICMPv6";
  return upper;
}
