// Property tests of every source format parser (README "Ingest API"): random JSON, records made of
// each format's own field names, and real records (fixtures/) with fields mutated by type. Whatever
// comes in: no exception escapes a parser, none takes long, a rejection names the field or the
// record, and an event a parser accepts is well typed, has a finite time, and is either within the
// store's bounds or refused by them with the field named (validate.ts, the check ingest applies).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIELD_LIMITS } from "../limits";
import { DROP_SOURCES, TRAFFIC_DIRECTIONS, VERDICTS, type DropEvent, type ParseOutcome } from "../types";
import { findOutOfBounds } from "../validate";
import { deepValues, FUZZ_SEED, hostileJson, mutate, mutation, NASTY_STRINGS, shown } from "../../testing/fuzz";
import { fixtureLines } from "../../testing/formats";
import { JSON_FORMATS, parseRecord, parseTextRecord, TEXT_FORMATS, type SourceFormatName } from ".";
import type { JsonObject } from "./json";

const RUNS = 300;
/** A parser reads one record in microseconds; this is far above any honest record and far below a quadratic regex on 20,000 characters. */
const SLOW_MS = 250;

/** "field: why" (a field path as the source names it), or a sentence about the record as a whole. */
const NAMES_A_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*: \S/;
const NAMES_THE_RECORD = /^(expected a JSON object|matches no known format|neither JSON|not valid JSON|format=\w+ reads|not an Antrea np\.log line|antrea line)/;

const nullableString = (v: unknown) => v === null || typeof v === "string";
const nullableNumber = (v: unknown) => v === null || (typeof v === "number" && !Number.isNaN(v));
const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");

/** What is wrong with an accepted event's shape: the store reads these fields as these types. */
function shapeProblem(e: DropEvent): string | null {
  if (!(e.time instanceof Date) || !Number.isFinite(e.time.getTime())) return `time is not a valid Date: ${String(e.time)}`;
  if (!VERDICTS.includes(e.verdict)) return `verdict ${shown(e.verdict)}`;
  if (!TRAFFIC_DIRECTIONS.includes(e.direction)) return `direction ${shown(e.direction)}`;
  if (!DROP_SOURCES.includes(e.source)) return `source ${shown(e.source)}`;
  for (const field of ["cluster", "node", "srcNamespace", "srcPod", "srcWorkload", "srcIp", "dstNamespace", "dstPod", "dstWorkload", "dstIp"] as const) {
    if (!nullableString(e[field])) return `${field} is ${shown(e[field])}`;
  }
  for (const field of ["namespace", "protocol", "reason", "key"] as const) if (typeof e[field] !== "string") return `${field} is ${shown(e[field])}`;
  for (const field of ["srcPort", "dstPort", "srcIdentity", "dstIdentity", "icmpType"] as const) {
    if (!nullableNumber(e[field])) return `${field} is ${shown(e[field])}`;
  }
  for (const field of ["count", "sampleRate"] as const) if (typeof e[field] !== "number" || Number.isNaN(e[field])) return `${field} is ${shown(e[field])}`;
  for (const field of ["srcLabels", "dstLabels", "policies"] as const) if (!strings(e[field])) return `${field} is ${shown(e[field])}`;
  return null;
}

/** Why an outcome breaks the parser contract (types.ts ParseOutcome), or null. */
function contractProblem(outcome: ParseOutcome): string | null {
  switch (outcome.kind) {
    case "rejected":
    case "ignored":
      if (typeof outcome.reason !== "string" || outcome.reason === "") return `${outcome.kind} without a reason`;
      if (outcome.reason.length > 600) return `${outcome.kind} reason of ${outcome.reason.length} characters (a reply lists 100 of them)`;
      if (outcome.kind === "rejected" && !NAMES_A_FIELD.test(outcome.reason) && !NAMES_THE_RECORD.test(outcome.reason)) {
        return `rejection names neither a field nor the record: ${shown(outcome.reason)}`;
      }
      return null;
    case "drop":
    case "annotation": {
      const shape = shapeProblem(outcome.event);
      if (shape) return `accepted event: ${shape}`;
      // Ingest stores the event only when the bounds check passes; when it fails it must name the field.
      const bounds = findOutOfBounds({ ...outcome.event, cluster: outcome.event.cluster ?? "default" });
      if (bounds !== null && !NAMES_A_FIELD.test(bounds)) return `bounds check answer names no field: ${bounds}`;
      return null;
    }
    default:
      return `unknown outcome ${shown(outcome)}`;
  }
}

type Parse = { name: string; run: () => ParseOutcome };

/** Runs one parse: it must return (never throw), quickly, an outcome that keeps the contract. */
function check({ name, run }: Parse, input: unknown): void {
  const started = performance.now();
  let outcome: ParseOutcome;
  try {
    outcome = run();
  } catch (error) {
    throw new Error(`${name} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} on ${shown(input)}`);
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) throw new Error(`${name} took ${Math.round(ms)} ms on ${shown(input)}`);
  const problem = contractProblem(outcome);
  if (problem) throw new Error(`${name}: ${problem}, on ${shown(input)}`);
}

/** One JSON record through auto-detection and through every JSON format forced (?format=...), or only `formats`. */
function checkJsonRecord(record: unknown, formats: readonly string[] = [...JSON_FORMATS.map((f) => f.name), "antrea"]): void {
  check({ name: "parseRecord(auto)", run: () => parseRecord(record, "auto") }, record);
  for (const format of formats as SourceFormatName[]) check({ name: `parseRecord(${format})`, run: () => parseRecord(record, format) }, record);
}

/** One text line through auto-detection and the text formats forced. */
function checkTextLine(line: string): void {
  check({ name: "parseTextRecord(auto)", run: () => parseTextRecord(line, "auto") }, line);
  for (const format of TEXT_FORMATS) check({ name: `parseTextRecord(${format.name})`, run: () => parseTextRecord(line, format.name) }, line);
  check({ name: "parseTextRecord(hubble)", run: () => parseTextRecord(line, "hubble") }, line);
}

const nativeRecord: JsonObject = {
  format: "native", time: "2026-11-28T10:00:00Z", cluster: "prod-eu", node: "worker-1", verdict: "DROPPED", direction: "INGRESS",
  srcNamespace: "web", srcPod: "frontend-7c9f8d6b5-x2x9k", srcWorkload: "Deployment/frontend", srcIp: "10.0.1.10", srcPort: 40000,
  srcIdentity: 1234, srcLabels: ["k8s:app=frontend"], dstNamespace: "payments", dstPod: "api-5d8f7c6b4-q7w3e", dstWorkload: "Deployment/api",
  dstIp: "10.0.2.20", dstPort: 8080, dstIdentity: 5678, dstLabels: ["k8s:app=api"], protocol: "TCP", reason: "POLICY_DENIED",
  policies: ["payments/default-deny"], count: 3, sampleRate: 1, key: "my-id-123",
};

const SOURCES = ["hubble", "calico", "goldmane", "netobserv"] as const;
const jsonFixtures: { source: string; record: JsonObject }[] = [
  ...SOURCES.flatMap((source) => fixtureLines(source).map(({ line }) => ({ source, record: JSON.parse(line) as JsonObject }))),
  { source: "native", record: nativeRecord },
  { source: "native", record: { time: "2026-11-28T10:00:00.123+02:00", verdict: "AUDIT", namespace: "shop" } },
];
const antreaLines = fixtureLines("antrea").map(({ line }) => line);

/** The field names the parsers read, so random records reach past format detection into each parser. */
const FIELD_NAMES = [
  // hubble
  "flow", "node_status", "lost_events", "verdict", "IP", "l4", "event_type", "Type", "source", "destination", "time", "node_name", "uuid",
  "traffic_direction", "drop_reason", "drop_reason_desc", "ingress_denied_by", "egress_denied_by", "l7", "workloads", "pod_name", "namespace",
  "labels", "identity", "ID", "cluster_name", "TCP", "UDP", "SCTP", "ICMPv4", "ICMPv6", "source_port", "destination_port", "type", "sub_type", "name", "kind",
  // calico, goldmane
  "start_time", "end_time", "action", "num_flows", "source_name_aggr", "dest_name_aggr", "reporter", "policies", "enforced_policies", "all_policies",
  "pending_policies", "source_namespace", "dest_namespace", "source_name", "dest_name", "source_type", "dest_type", "source_ip", "dest_ip", "dest_port",
  "proto", "protocol", "host", "source_labels", "dest_labels", "Key", "key", "enforced", "pending", "num_connections_started", "startTime", "trigger",
  "tier", "rule_index", "ruleIndex", "policy_index",
  // netobserv
  "TimeFlowStartMs", "TimeFlowEndMs", "TimeReceived", "SrcK8S_Namespace", "DstK8S_Namespace", "NetworkEvents", "Duplicate", "Sampling", "Proto",
  "SrcPort", "DstPort", "K8S_ClusterName", "SrcK8S_HostName", "DstK8S_HostName", "SrcAddr", "DstAddr", "IcmpType", "AgentIP", "SrcMac", "DstMac",
  "Interfaces", "PktDropLatestDropCause", "FlowDirection", "PktDropPackets", "Packets", "Action", "Name", "Namespace", "Direction", "SrcK8S_Type",
  "SrcK8S_Name", "SrcK8S_OwnerName", "SrcK8S_OwnerType", "DstK8S_Type", "DstK8S_Name", "DstK8S_OwnerName", "DstK8S_OwnerType",
  // native
  "format", "cluster", "node", "direction", "srcNamespace", "srcPod", "srcWorkload", "srcIp", "srcIdentity", "srcLabels", "dstNamespace", "dstPod",
  "dstWorkload", "dstIp", "dstPort", "dstIdentity", "dstLabels", "icmpType", "reason", "count", "sampleRate",
];

const fieldName = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
/** Records built from the formats' own field names, nested like theirs (flow.source.workloads[0].name). */
const { record: shapedRecord } = fc.letrec<{ record: JsonObject; value: unknown }>((tie) => ({
  record: fc.dictionary(fieldName, tie("value"), { maxKeys: 8, depthIdentifier: "record" }),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true, depthIdentifier: "record" },
    { weight: 5, arbitrary: hostileJson },
    { weight: 2, arbitrary: tie("record") },
    { weight: 1, arbitrary: fc.array(tie("record"), { maxLength: 3, depthIdentifier: "record" }) },
  ),
}));

const params = (seed: number) => ({ seed: FUZZ_SEED + seed, numRuns: RUNS, endOnFailure: true });

describe("format parsers never throw, never stall, and say what is wrong", () => {
  it("random JSON values of any kind", () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), hostileJson), (value) => checkJsonRecord(value)), params(1));
  });

  it("records made of the formats' own field names", () => {
    fc.assert(fc.property(shapedRecord, (record) => checkJsonRecord(record)), params(2));
  });

  it("real records with fields mutated by type (huge, negative, fractional numbers, NUL and control characters, deep nesting, wrong types, missing fields)", () => {
    const fixture = fc.constantFrom(...jsonFixtures);
    fc.assert(
      fc.property(fixture, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ record }, mutations) => checkJsonRecord(mutate(record, mutations))),
      { ...params(3), numRuns: RUNS * 4 },
    );
  });

  it("real records with each field in turn set to every hostile value (exhaustive, one field at a time)", () => {
    const values = [...NASTY_STRINGS, 1e300, -1, 0.5, 2 ** 64, Infinity, true, null, [], {}];
    // Auto-detection and the record's own format: other formats forced on it are the random tests' part.
    for (const { source, record } of jsonFixtures) {
      const own = [source];
      const fields = countPlaces(record);
      for (let at = 0; at < fields; at++) {
        for (const value of [...values, ...deepValues()]) checkJsonRecord(mutate(record, [{ at, op: "set", value }]), own);
        checkJsonRecord(mutate(record, [{ at, op: "delete" }]), own);
      }
    }
  });

  it("random text lines and mutated Antrea np.log lines", () => {
    const token = fc.oneof(fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 100)), fc.string({ unit: "binary", maxLength: 20 }), fc.constantFrom("<nil>", "Drop", "Reject", "Allow", "[99999999999 packets in 1s]", "[0 packets in 1s]"));
    const mutatedLine = fc.tuple(fc.constantFrom(...antreaLines), fc.array(fc.tuple(fc.nat(), token), { minLength: 1, maxLength: 4 })).map(([line, edits]) => {
      const tokens = line.split(" ");
      for (const [at, value] of edits) tokens[at % (tokens.length + 1)] = value;
      return tokens.join(" ");
    });
    const line = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), mutatedLine, fc.constantFrom(...NASTY_STRINGS));
    fc.assert(fc.property(line, (text) => checkTextLine(text)), { ...params(4), numRuns: RUNS * 3 });
    // Long lines, whole: every parser bounds what it reads before any regular expression runs over it.
    for (const filler of [" ", "1", "[", "a "]) checkTextLine(`${(antreaLines[0] as string).slice(0, 27)}${filler.repeat(200_000)}`);
  });
});

/** How many places `mutate` can hit in a record (its fields at every depth). */
function countPlaces(record: JsonObject): number {
  let count = 0;
  const walk = (node: object, depth: number) => {
    for (const value of Object.values(node)) {
      count++;
      if (typeof value === "object" && value !== null && depth < 12) walk(value, depth + 1);
    }
  };
  walk(record, 0);
  return count;
}

describe("bounds of accepted events", () => {
  it("every event a mutated real record yields that passes the bounds check fits the columns", () => {
    // The pipeline stores an event only when findOutOfBounds passes: check that what passes fits the columns.
    const limits: [keyof DropEvent, number][] = [
      ["cluster", FIELD_LIMITS.name], ["node", FIELD_LIMITS.name], ["namespace", FIELD_LIMITS.name], ["srcNamespace", FIELD_LIMITS.name],
      ["dstNamespace", FIELD_LIMITS.name], ["srcPod", FIELD_LIMITS.name], ["dstPod", FIELD_LIMITS.name], ["srcWorkload", FIELD_LIMITS.workload],
      ["dstWorkload", FIELD_LIMITS.workload], ["srcIp", FIELD_LIMITS.ip], ["dstIp", FIELD_LIMITS.ip], ["protocol", FIELD_LIMITS.protocol],
      ["reason", FIELD_LIMITS.reason], ["key", FIELD_LIMITS.key],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...jsonFixtures), fc.array(mutation, { minLength: 1, maxLength: 3 }), ({ record }, mutations) => {
        const input = mutate(record, mutations);
        const outcome = parseRecord(input, "auto");
        if (outcome.kind !== "drop" && outcome.kind !== "annotation") return;
        const event = { ...outcome.event, cluster: outcome.event.cluster ?? "default" };
        if (findOutOfBounds(event) !== null) return;
        for (const [field, max] of limits) {
          const value = event[field];
          expect(value === null || (typeof value === "string" && value.length <= max && !value.includes("\u0000")), `${field} of ${shown(input)}`).toBe(true);
        }
        expect(event.namespace, shown(input)).not.toBe("");
        for (const field of ["srcPort", "dstPort"] as const) expect(event[field] === null || (Number.isInteger(event[field]) && (event[field] as number) <= 65535)).toBe(true);
        expect(Number.isInteger(event.count) && event.count >= 1, shown(input)).toBe(true);
      }),
      { ...params(5), numRuns: RUNS * 2 },
    );
  });
});

describe("what this suite found (kept as examples)", () => {
  const goldmane = (fields: Record<string, unknown>) => ({
    Key: { source_name: "a-*", source_namespace: "shop", dest_name: "b-*", dest_namespace: "pay", dest_port: 443, proto: "tcp", reporter: "Dst", action: "Deny", policies: {} },
    start_time: 1_700_000_000,
    ...fields,
  });

  it("a Whisker label string of 100,000 spaces is read in linear time (it was a quadratic split: 14 s)", () => {
    const started = performance.now();
    const outcome = parseRecord(goldmane({ source_labels: `app=a${" ".repeat(100_000)}| tier=b` }), "auto");
    expect(performance.now() - started).toBeLessThan(SLOW_MS);
    expect(outcome.kind === "drop" && outcome.event.srcLabels).toEqual(["app=a", "tier=b"]);
  });

  it("an action, end_time or network event nested 20,000 deep is a rejection or read, never a stack overflow", () => {
    const deep = () => deepValues()[0];
    expect(parseRecord({ start_time: 1_700_000_000, action: deep(), num_flows: 1 }, "auto")).toEqual({ kind: "rejected", reason: 'action: "(a list)" is not allow or deny' });
    expect(parseRecord({ ...goldmane({}), Key: { action: deep() } }, "goldmane")).toEqual({ kind: "rejected", reason: 'action: "(a list)" is not Allow, Deny or Pass' });
    expect(parseRecord(goldmane({ end_time: deep() }), "goldmane").kind).toBe("drop");
    const netobserv = { TimeFlowStartMs: 1_700_000_000_000, PktDropPackets: 1, PktDropLatestDropCause: "SKB_DROP_REASON_NO_SOCKET" };
    expect(parseRecord({ ...netobserv, Interfaces: deep() }, "auto")).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/^Interfaces: /) });
    expect(parseRecord({ ...netobserv, NetworkEvents: [{ Action: deep(), Type: "NetworkPolicy" }] }, "auto").kind).toBe("drop");
  });

  it("a Hubble verdict no Hubble prints is tallied under a reason of bounded length", () => {
    const outcome = parseRecord({ flow: { time: "2026-11-28T10:00:00Z", verdict: "X".repeat(10_000) } }, "auto");
    expect(outcome).toEqual({ kind: "ignored", reason: `verdict ${"X".repeat(40)} is not a drop` });
  });
});
