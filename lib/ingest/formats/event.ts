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

/** Days in each month of a common year; February has 29 in a leap year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** The instant an RFC 3339 timestamp names (to the millisecond), or null for any other text or an impossible date. */
export function parseRfc3339(text: string): Date | null {
  // No closures here: this runs once per ingested record, on the server and the collector.
  const match = RFC3339.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const fraction = match[7];
  const millis = fraction === undefined ? 0 : Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, "0"));
  const offsetHours = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinutes = match[10] === undefined ? 0 : Number(match[10]);
  // Leap seconds (60) are refused as Go's time.Parse refuses them; JavaScript dates cannot hold them.
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  // 2026-02-30 does not exist (Date.UTC would roll it over to March).
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // Date.UTC reads years 0..99 as 19xx; such a year does not round-trip (and is before 1970 anyway).
  if (year < 100) return null;
  const offset = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return saneTime(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset);
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
