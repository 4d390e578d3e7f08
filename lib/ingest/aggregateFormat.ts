// The aggregate batch: what a collector that aggregates at the edge (`collect --aggregate`,
// lib/collector/aggregator.ts) sends instead of raw records (README, "Ingest API", aggregate batches).
// One JSON object: who sent it (collector id + sequence: the idempotency key), the records it read
// that count nothing (duplicates, ignored, by reason), and per drop path and minute the counts by
// verdict and reason, the path's facts (first/last seen, policies) and a few example events.
//
// This module is pure (no I/O, no database): the types both sides share, and the server's reading of
// a batch, field by field, with a reason that names the field for everything it refuses.
import { FIELD_LIMITS as L } from "./limits";
import { DROP_SOURCES, TRAFFIC_DIRECTIONS, VERDICTS, type DropEvent, type DropSource, type TrafficDirection, type Verdict } from "./types";
import { findOutOfBounds } from "./validate";

export const AGGREGATE_CONTENT_TYPE = "application/vnd.dropboard.aggregate+json";
export const AGGREGATE_VERSION = 1;

const MINUTE_MS = 60_000;

/** Bounds of the batch's own fields (the events' fields have FIELD_LIMITS). */
export const AGGREGATE_LIMITS = {
  collector: 200,
  part: 32,
  /** Policies a path-minute may name (one event names at most FIELD_LIMITS.policies). */
  policies: 64,
  /** Reasons only annotations gave, per path-minute. */
  reasons: 16,
  /** verdict + reason pairs per path-minute. */
  counts: 32,
  /** Example events per path-minute. */
  examples: 100,
  ignoredReasons: 21,
  ignoredReason: 300,
  /** Counts are sums: at most a safe integer. */
  maxCount: Number.MAX_SAFE_INTEGER,
} as const;

/** Counts of one verdict and reason on a path in a minute: `count` flows, from `records` records. */
export interface AggregateCount {
  verdict: Verdict;
  reason: string;
  count: number;
  records: number;
}

/** An example event: the fields its path-minute does not already say. Absent fields are null, empty or 1. */
export interface AggregateExample {
  time: string;
  key: string;
  verdict: Verdict;
  reason: string;
  source: DropSource;
  node?: string;
  srcPod?: string;
  srcIp?: string;
  srcPort?: number;
  srcIdentity?: number;
  srcLabels?: string[];
  dstPod?: string;
  dstIp?: string;
  dstIdentity?: number;
  dstLabels?: string[];
  icmpType?: number;
  policies?: string[];
  /** Default 1; 0 for an annotation (a record another counts, e.g. a Hubble PolicyVerdict copy). */
  count?: number;
  sampleRate?: number;
}

/** One drop path in one minute (UTC). */
export interface AggregatePathMinute {
  /** The minute's start, RFC 3339 (`2026-11-28T10:01:00Z`). */
  minute: string;
  /** Milliseconds into the minute of its first and last record. */
  first: number;
  last: number;
  /** Absent: the token's cluster (as for records that name none). */
  cluster?: string;
  direction: TrafficDirection;
  namespace: string;
  srcNamespace: string | null;
  srcWorkload: string | null;
  dstNamespace: string | null;
  dstWorkload: string | null;
  dstPort: number | null;
  protocol: string;
  policies?: string[];
  /** Reasons known only from annotations (they count nothing). */
  reasons?: string[];
  counts: AggregateCount[];
  examples?: AggregateExample[];
}

export interface AggregateBatch {
  version: typeof AGGREGATE_VERSION;
  /** The collector's id: with `sequence` (and `part`), the batch's idempotency key. */
  collector: string;
  sequence: number;
  /** The halves of a batch the server found too large: "0", "1", "01", ... */
  part?: string;
  /** Records the collector found to be duplicates of records it had already counted. */
  duplicates: number;
  /** Records that are not drops, or count nothing (annotations), by reason. */
  ignored: number;
  ignoredReasons: Record<string, number>;
  paths: AggregatePathMinute[];
}

/** The records a batch stands for: counted, duplicate or ignored (what the collector read, less what it rejected). */
export function batchRecords(batch: Pick<AggregateBatch, "duplicates" | "ignored" | "paths">): number {
  let records = batch.duplicates + batch.ignored;
  for (const path of batch.paths) records += pathRecords(path);
  return records;
}

export function pathRecords(path: Pick<AggregatePathMinute, "counts">): number {
  let records = 0;
  for (const c of path.counts) records += c.records;
  return records;
}

// ---------------------------------------------------------------------------------------------
// Reading a batch on the server.

/** The batch itself is unreadable (not its paths): the whole request is refused, saying where. */
export class AggregateFormatError extends Error {}

/** A path-minute as the server stores it: times read, cluster not yet resolved. */
export interface ReadPathMinute {
  minute: number;
  first: number;
  last: number;
  cluster: string | null;
  direction: TrafficDirection;
  namespace: string;
  srcNamespace: string | null;
  srcWorkload: string | null;
  dstNamespace: string | null;
  dstWorkload: string | null;
  dstPort: number | null;
  protocol: string;
  policies: string[];
  reasons: string[];
  counts: AggregateCount[];
  /** Events as stored: the path's fields filled in; `cluster` is set once it is resolved. */
  examples: DropEvent[];
  /** Records it stands for. */
  records: number;
}

export interface ReadBatch {
  collector: string;
  /** The idempotency key within the collector: the sequence, and the part when split. */
  batch: string;
  duplicates: number;
  ignored: number;
  ignoredReasons: Record<string, number>;
  /** Each path-minute, or why it was refused (a reason naming its field). */
  paths: unknown[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const BATCH_FIELDS = new Set(["version", "collector", "sequence", "part", "duplicates", "ignored", "ignoredReasons", "paths"]);
const PATH_FIELDS = new Set([
  "minute", "first", "last", "cluster", "direction", "namespace", "srcNamespace", "srcWorkload", "dstNamespace", "dstWorkload",
  "dstPort", "protocol", "policies", "reasons", "counts", "examples",
]);
const EXAMPLE_FIELDS = new Set([
  "time", "key", "verdict", "reason", "source", "node", "srcPod", "srcIp", "srcPort", "srcIdentity", "srcLabels", "dstPod", "dstIp",
  "dstIdentity", "dstLabels", "icmpType", "policies", "count", "sampleRate",
]);
const COUNT_FIELDS = new Set(["verdict", "reason", "count", "records"]);

/** RFC 3339 in UTC with a Z, as the collector writes it (Date#toISOString). */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/** Reads the batch's envelope; its paths are read one by one (readPathMinute), each refused alone. */
export function readAggregateBatch(value: unknown): ReadBatch {
  if (!isObject(value)) throw new AggregateFormatError("the body must be one JSON object (an aggregate batch)");
  for (const key of Object.keys(value)) if (!BATCH_FIELDS.has(key)) throw new AggregateFormatError(`${key}: not a field of an aggregate batch`);
  if (value.version !== AGGREGATE_VERSION) throw new AggregateFormatError(`version: must be ${AGGREGATE_VERSION}, got ${JSON.stringify(value.version ?? null).slice(0, 20)}`);
  const collector = value.collector;
  if (typeof collector !== "string" || collector === "" || collector.length > AGGREGATE_LIMITS.collector || /[\u0000-\u001f\u007f]/.test(collector)) {
    throw new AggregateFormatError(`collector: must be a string of 1..${AGGREGATE_LIMITS.collector} printable characters`);
  }
  const sequence = value.sequence;
  if (typeof sequence !== "number" || !Number.isSafeInteger(sequence) || sequence < 0) throw new AggregateFormatError("sequence: must be a whole number, 0 or more");
  const part = value.part;
  if (part !== undefined && (typeof part !== "string" || !/^[01]{1,32}$/.test(part))) throw new AggregateFormatError(`part: must be 1..${AGGREGATE_LIMITS.part} of the digits 0 and 1`);
  const duplicates = count(value.duplicates, "duplicates");
  const ignored = count(value.ignored, "ignored");
  const ignoredReasons = readIgnoredReasons(value.ignoredReasons);
  if (!Array.isArray(value.paths)) throw new AggregateFormatError("paths: must be an array");
  return { collector, batch: part === undefined ? String(sequence) : `${sequence}.${part}`, duplicates, ignored, ignoredReasons, paths: value.paths };
}

function count(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new AggregateFormatError(`${field}: must be a whole number, 0 or more`);
  return value;
}

function readIgnoredReasons(value: unknown): Record<string, number> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new AggregateFormatError("ignoredReasons: must be an object of reason -> records");
  const entries = Object.entries(value);
  if (entries.length > AGGREGATE_LIMITS.ignoredReasons) throw new AggregateFormatError(`ignoredReasons: more than ${AGGREGATE_LIMITS.ignoredReasons} reasons`);
  const reasons: Record<string, number> = {};
  for (const [reason, n] of entries) {
    if (reason.length > AGGREGATE_LIMITS.ignoredReason || hasNul(reason)) throw new AggregateFormatError(`ignoredReasons: a reason is longer than ${AGGREGATE_LIMITS.ignoredReason} characters or holds NUL`);
    reasons[reason] = count(n, `ignoredReasons["${reason.slice(0, 40)}"]`);
  }
  return reasons;
}

/** A path-minute refused: `reason` names the field ("dstPort: ...", "examples[2].time: ..."). */
export class PathRefused extends Error {}

const refuse = (reason: string): never => {
  throw new PathRefused(reason);
};

function str(value: unknown, field: string, max: number): string {
  if (typeof value !== "string") return refuse(`${field}: must be a string`);
  if (value.length > max) return refuse(`${field}: longer than ${max} characters`);
  if (hasNul(value)) return refuse(`${field}: contains a NUL byte`);
  return value;
}

function optStr(value: unknown, field: string, max: number): string | null {
  return value === undefined || value === null ? null : str(value, field, max);
}

function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) return refuse(`${field}: must be a whole number in ${min}..${max}`);
  return value;
}

function optInt(value: unknown, field: string, min: number, max: number): number | null {
  return value === undefined || value === null ? null : int(value, field, min, max);
}

function strings(value: unknown, field: string, maxItems: number, maxLength: number): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return refuse(`${field}: must be an array of strings`);
  if (value.length > maxItems) return refuse(`${field}: more than ${maxItems}`);
  for (const item of value) str(item, field, maxLength);
  return value as string[];
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) return refuse(`${field}: must be one of ${allowed.join(", ")}`);
  return value as T;
}

function utcTime(value: unknown, field: string): number {
  if (typeof value !== "string" || !UTC_TIME.test(value)) return refuse(`${field}: must be an RFC 3339 time in UTC (2026-11-28T10:01:02.345Z)`);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0) return refuse(`${field}: "${value}" is not a time in 1970..9999`);
  return ms;
}

/**
 * One path-minute, checked field by field against the same bounds as every stored event (its
 * examples pass findOutOfBounds as events do). Throws PathRefused with the field and what is wrong.
 */
export function readPathMinute(value: unknown): ReadPathMinute {
  if (!isObject(value)) return refuse("a path-minute must be a JSON object");
  for (const key of Object.keys(value)) if (!PATH_FIELDS.has(key)) refuse(`${key}: not a field of a path-minute`);
  const minute = utcTime(value.minute, "minute");
  if (minute % MINUTE_MS !== 0) refuse(`minute: ${String(value.minute)} is not the start of a minute`);
  const first = int(value.first, "first", 0, MINUTE_MS - 1);
  const last = int(value.last, "last", first, MINUTE_MS - 1);
  const cluster = optStr(value.cluster, "cluster", L.name);
  const direction = oneOf(value.direction, "direction", TRAFFIC_DIRECTIONS);
  const path = {
    cluster,
    direction,
    namespace: str(value.namespace, "namespace", L.name),
    srcNamespace: optStr(value.srcNamespace, "srcNamespace", L.name),
    srcWorkload: optStr(value.srcWorkload, "srcWorkload", L.workload),
    dstNamespace: optStr(value.dstNamespace, "dstNamespace", L.name),
    dstWorkload: optStr(value.dstWorkload, "dstWorkload", L.workload),
    dstPort: optInt(value.dstPort, "dstPort", 0, 65535),
    protocol: str(value.protocol, "protocol", L.protocol),
  };
  if (path.namespace === "") refuse("namespace: empty");
  if (cluster === "") refuse("cluster: empty (leave it out for the token's cluster)");
  const policies = strings(value.policies, "policies", AGGREGATE_LIMITS.policies, L.policy);
  const reasons = strings(value.reasons, "reasons", AGGREGATE_LIMITS.reasons, L.reason);
  if (!Array.isArray(value.counts)) refuse("counts: must be an array");
  const rawCounts = value.counts as unknown[];
  if (rawCounts.length > AGGREGATE_LIMITS.counts) refuse(`counts: more than ${AGGREGATE_LIMITS.counts}`);
  const counts: AggregateCount[] = [];
  let records = 0;
  const pairs = new Set<string>();
  for (let i = 0; i < rawCounts.length; i++) {
    const c = rawCounts[i];
    const at = `counts[${i}]`;
    if (!isObject(c)) return refuse(`${at}: must be an object`);
    for (const key of Object.keys(c)) if (!COUNT_FIELDS.has(key)) refuse(`${at}.${key}: not a field of a count`);
    const verdict = oneOf(c.verdict, `${at}.verdict`, VERDICTS);
    const reason = str(c.reason, `${at}.reason`, L.reason);
    const n = int(c.count, `${at}.count`, 1, AGGREGATE_LIMITS.maxCount);
    const r = int(c.records, `${at}.records`, 1, n);
    const pair = `${verdict}\u001f${reason}`;
    if (pairs.has(pair)) refuse(`${at}: ${verdict} ${reason} is counted twice in this path-minute`);
    pairs.add(pair);
    counts.push({ verdict, reason, count: n, records: r });
    records += r;
  }
  const rawExamples = value.examples ?? [];
  if (!Array.isArray(rawExamples)) return refuse("examples: must be an array");
  if (rawExamples.length > AGGREGATE_LIMITS.examples) refuse(`examples: more than ${AGGREGATE_LIMITS.examples}`);
  if (counts.length === 0 && rawExamples.length === 0 && policies.length === 0 && reasons.length === 0) refuse("counts: empty, and nothing else is said about the path");
  const examples: DropEvent[] = [];
  for (let i = 0; i < rawExamples.length; i++) examples.push(readExample(rawExamples[i], `examples[${i}]`, path, minute));
  // The path's own fields pass the bounds every event passes (names, workloads, port, protocol).
  if (examples.length === 0) {
    const problem = findOutOfBounds(pathEvent(path, minute));
    if (problem) refuse(problem);
  }
  return { minute, first, last, ...path, policies, reasons, counts, examples, records };
}

type PathFields = Pick<DropEvent, "direction" | "namespace" | "srcNamespace" | "srcWorkload" | "dstNamespace" | "dstWorkload" | "dstPort" | "protocol"> & {
  cluster: string | null;
};

/** An event with only the path's fields, for the bounds check. */
function pathEvent(path: PathFields, minute: number): DropEvent {
  return {
    ...path, time: new Date(minute), node: null, verdict: "DROPPED", srcPod: null, srcIp: null, srcPort: null, srcIdentity: null, srcLabels: [],
    dstPod: null, dstIp: null, dstIdentity: null, dstLabels: [], icmpType: null, reason: "", policies: [], count: 1, sampleRate: 1, source: "native", key: "",
  };
}

function readExample(value: unknown, at: string, path: PathFields, minute: number): DropEvent {
  if (!isObject(value)) return refuse(`${at}: must be an object`);
  for (const key of Object.keys(value)) if (!EXAMPLE_FIELDS.has(key)) refuse(`${at}.${key}: not a field of an example`);
  const time = utcTime(value.time, `${at}.time`);
  if (time < minute || time >= minute + MINUTE_MS) refuse(`${at}.time: ${String(value.time)} is not in its path's minute`);
  const count = value.count === undefined ? 1 : int(value.count, `${at}.count`, 0, L.maxCount);
  const event: DropEvent = {
    time: new Date(time),
    cluster: path.cluster,
    node: optStr(value.node, `${at}.node`, L.name),
    verdict: oneOf(value.verdict, `${at}.verdict`, VERDICTS),
    direction: path.direction,
    namespace: path.namespace,
    srcNamespace: path.srcNamespace,
    srcPod: optStr(value.srcPod, `${at}.srcPod`, L.name),
    srcWorkload: path.srcWorkload,
    srcIp: optStr(value.srcIp, `${at}.srcIp`, L.ip),
    srcPort: optInt(value.srcPort, `${at}.srcPort`, 0, 65535),
    srcIdentity: optInt(value.srcIdentity, `${at}.srcIdentity`, 0, L.maxIdentity),
    srcLabels: strings(value.srcLabels, `${at}.srcLabels`, L.labels, L.label),
    dstNamespace: path.dstNamespace,
    dstPod: optStr(value.dstPod, `${at}.dstPod`, L.name),
    dstWorkload: path.dstWorkload,
    dstIp: optStr(value.dstIp, `${at}.dstIp`, L.ip),
    dstPort: path.dstPort,
    dstIdentity: optInt(value.dstIdentity, `${at}.dstIdentity`, 0, L.maxIdentity),
    dstLabels: strings(value.dstLabels, `${at}.dstLabels`, L.labels, L.label),
    protocol: path.protocol,
    icmpType: optInt(value.icmpType, `${at}.icmpType`, 0, 255),
    reason: str(value.reason, `${at}.reason`, L.reason),
    policies: strings(value.policies, `${at}.policies`, L.policies, L.policy),
    // An annotation's example counts nothing (0), as its raw record is stored.
    count: Math.max(count, 1),
    sampleRate: value.sampleRate === undefined ? 1 : int(value.sampleRate, `${at}.sampleRate`, 1, L.maxSampleRate),
    source: oneOf(value.source, `${at}.source`, DROP_SOURCES),
    key: str(value.key, `${at}.key`, L.key),
  };
  // The same last check as every parsed event: the path's fields and this example's together.
  const problem = findOutOfBounds(event);
  if (problem) refuse(isPathField(problem) ? problem : `${at}.${problem}`);
  event.count = count;
  return event;
}

const PATH_FIELD_NAMES = ["cluster", "direction", "namespace", "srcNamespace", "srcWorkload", "dstNamespace", "dstWorkload", "dstPort", "protocol"];

function isPathField(problem: string): boolean {
  const field = problem.slice(0, problem.indexOf(":"));
  return PATH_FIELD_NAMES.includes(field);
}

// ---------------------------------------------------------------------------------------------
// Writing a batch (the collector).

/** An example as the batch carries it: the fields of the event its path-minute does not say. */
export function toExample(e: DropEvent): AggregateExample {
  const x: AggregateExample = { time: e.time.toISOString(), key: e.key, verdict: e.verdict, reason: e.reason, source: e.source };
  if (e.node !== null) x.node = e.node;
  if (e.srcPod !== null) x.srcPod = e.srcPod;
  if (e.srcIp !== null) x.srcIp = e.srcIp;
  if (e.srcPort !== null) x.srcPort = e.srcPort;
  if (e.srcIdentity !== null) x.srcIdentity = e.srcIdentity;
  if (e.srcLabels.length > 0) x.srcLabels = e.srcLabels;
  if (e.dstPod !== null) x.dstPod = e.dstPod;
  if (e.dstIp !== null) x.dstIp = e.dstIp;
  if (e.dstIdentity !== null) x.dstIdentity = e.dstIdentity;
  if (e.dstLabels.length > 0) x.dstLabels = e.dstLabels;
  if (e.icmpType !== null) x.icmpType = e.icmpType;
  if (e.policies.length > 0) x.policies = e.policies;
  if (e.count !== 1) x.count = e.count;
  if (e.sampleRate !== 1) x.sampleRate = e.sampleRate;
  return x;
}
