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

/** Times outside [1970, 10000) are not believed: `new Date()` of a huge number is an Invalid Date that
 * crashes `toISOString()` later, and no flow record is older than the epoch. */
const TIME_MAX_MS = Date.UTC(10000, 0, 1);

function saneTime(ms: number): Date | null {
  return Number.isFinite(ms) && ms >= 0 && ms < TIME_MAX_MS ? new Date(ms) : null;
}

// RFC 3339 `date-time` (section 5.6): a zone is required (`Z` or a numeric offset), so no time is read in
// the server's own zone. Fractions up to nanoseconds, as Go's RFC3339Nano and protojson print them.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The instant an RFC 3339 timestamp names (to the millisecond), or null for any other text or an impossible date. */
export function parseRfc3339(text: string): Date | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const field = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day, hour, minute, second] = [field(1), field(2), field(3), field(4), field(5), field(6)];
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const [offsetHours, offsetMinutes] = [field(9), field(10)];
  // Leap seconds (60) are refused as Go's time.Parse refuses them; JavaScript dates cannot hold them.
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(local);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const offset = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return saneTime(local - offset);
}

/**
 * Time from UNIX seconds (number or numeric string), milliseconds when `unit` says so, or RFC 3339 text.
 * Null for anything else, for zero or negative numbers, and for times outside 1970..9999.
 */
export function readTime(value: unknown, unit: "s" | "ms" = "s"): Date | null {
  const scale = unit === "s" ? 1000 : 1;
  if (typeof value === "number") return value > 0 ? saneTime(value * scale) : null;
  if (typeof value !== "string" || value === "") return null;
  if (/^\d+(\.\d+)?$/.test(value)) return readTime(Number(value), unit);
  return parseRfc3339(value);
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
