import { describe, expect, it } from "vitest";
import { AggregateFormatError, PathRefused, readAggregateBatch, readPathMinute, type AggregatePathMinute } from "./aggregateFormat";

const minute = "2026-11-28T10:01:00.000Z";

function pathMinute(overrides: Record<string, unknown> = {}): AggregatePathMinute & Record<string, unknown> {
  return {
    minute,
    first: 1200,
    last: 58_000,
    cluster: "prod-eu",
    direction: "INGRESS",
    namespace: "payments",
    srcNamespace: "web",
    srcWorkload: "Deployment/frontend",
    dstNamespace: "payments",
    dstWorkload: "Deployment/api",
    dstPort: 8080,
    protocol: "TCP",
    policies: ["payments/deny-web"],
    counts: [{ verdict: "DROPPED", reason: "POLICY_DENY", count: 40, records: 40 }],
    examples: [{ time: "2026-11-28T10:01:01.200Z", key: "hubble:1", verdict: "DROPPED", reason: "POLICY_DENY", source: "hubble", srcPod: "frontend-a", srcPort: 40000, srcLabels: ["k8s:app=frontend"] }],
    ...overrides,
  };
}

function refusal(value: unknown): string {
  try {
    readPathMinute(value);
  } catch (error) {
    if (error instanceof PathRefused) return error.message;
    throw error;
  }
  throw new Error("not refused");
}

describe("aggregate batches: reading a path-minute", () => {
  it("reads a path-minute: times, counts and examples filled in with the path's fields", () => {
    const read = readPathMinute(pathMinute());
    expect(read).toMatchObject({ minute: Date.parse(minute), first: 1200, last: 58_000, cluster: "prod-eu", records: 40, policies: ["payments/deny-web"] });
    expect(read.examples[0]).toMatchObject({
      time: new Date("2026-11-28T10:01:01.200Z"), cluster: "prod-eu", namespace: "payments", srcWorkload: "Deployment/frontend", dstPort: 8080,
      srcPod: "frontend-a", srcPort: 40000, dstPod: null, count: 1, sampleRate: 1, key: "hubble:1",
    });
  });

  it.each([
    [{ minute: "2026-11-28T10:01:30.000Z" }, /^minute: .* is not the start of a minute/],
    [{ minute: "2026-11-28 10:01" }, /^minute: must be an RFC 3339 time in UTC/],
    [{ last: 1000 }, /^last: must be a whole number in 1200\.\.59999/],
    [{ first: -1 }, /^first: /],
    [{ direction: "SIDEWAYS" }, /^direction: must be one of INGRESS, EGRESS, UNKNOWN/],
    [{ namespace: "x".repeat(254) }, /^namespace: longer than 253 characters/],
    [{ namespace: "" }, /^namespace: empty/],
    [{ srcNamespace: "web\u0000" }, /^srcNamespace: contains a NUL byte/],
    [{ dstPort: 70000 }, /^dstPort: must be a whole number in 0\.\.65535/],
    [{ cluster: 7 }, /^cluster: must be a string/],
    [{ cluster: "" }, /^cluster: empty/],
    [{ policies: Array.from({ length: 65 }, (_, i) => `p${i}`) }, /^policies: more than 64/],
    [{ counts: [{ verdict: "DROPPED", reason: "X", count: 2, records: 3 }] }, /^counts\[0\]\.records: must be a whole number in 1\.\.2/],
    [{ counts: [{ verdict: "DROPPED", reason: "X", count: 0, records: 0 }] }, /^counts\[0\]\.count: /],
    [{ counts: [{ verdict: "MAYBE", reason: "X", count: 1, records: 1 }] }, /^counts\[0\]\.verdict: must be one of DROPPED, AUDIT/],
    [{ counts: [{ verdict: "DROPPED", reason: "X", count: 1, records: 1, extra: 1 }] }, /^counts\[0\]\.extra: not a field of a count/],
    [{ counts: [{ verdict: "DROPPED", reason: "X", count: 1, records: 1 }, { verdict: "DROPPED", reason: "X", count: 1, records: 1 }] }, /^counts\[1\]: DROPPED X is counted twice/],
    [{ counts: [], examples: [], policies: [] }, /^counts: empty, and nothing else is said about the path/],
    [{ examples: [{ time: "2026-11-28T10:02:00.000Z", key: "k", verdict: "DROPPED", reason: "R", source: "hubble" }] }, /^examples\[0\]\.time: .* is not in its path's minute/],
    [{ examples: [{ time: "2026-11-28T10:01:02.000Z", key: "k", verdict: "DROPPED", reason: "R", source: "hubble", srcPort: 1e6 }] }, /^examples\[0\]\.srcPort: /],
    [{ examples: [{ time: "2026-11-28T10:01:02.000Z", key: "k".repeat(129), verdict: "DROPPED", reason: "R", source: "hubble" }] }, /^examples\[0\]\.key: longer than 128/],
    [{ examples: [{ time: "2026-11-28T10:01:02.000Z", key: "k", verdict: "DROPPED", reason: "R", source: "carrier-pigeon" }] }, /^examples\[0\]\.source: must be one of/],
    [{ examples: [{ time: "2026-11-28T10:01:02.000Z", key: "k", verdict: "DROPPED", reason: "R", source: "hubble", srcLabels: ["x".repeat(400)] }] }, /^examples\[0\]\.srcLabels: longer than 317/],
    [{ examples: Array.from({ length: 101 }, () => ({})) }, /^examples: more than 100/],
    [{ colour: "blue" }, /^colour: not a field of a path-minute/],
  ])("refuses %j, naming the field", (overrides, reason) => {
    expect(refusal(pathMinute(overrides))).toMatch(reason);
  });

  it("refuses what is not an object", () => {
    expect(refusal([1])).toBe("a path-minute must be a JSON object");
    expect(refusal(null)).toBe("a path-minute must be a JSON object");
  });
});

describe("aggregate batches: reading the envelope", () => {
  const envelope = (overrides: Record<string, unknown> = {}) => ({ version: 1, collector: "node-1/ab12", sequence: 3, duplicates: 2, ignored: 5, ignoredReasons: { "verdict FORWARDED is not a drop": 5 }, paths: [], ...overrides });

  it("reads the key: the sequence, and the part of a split batch", () => {
    expect(readAggregateBatch(envelope())).toMatchObject({ collector: "node-1/ab12", batch: "3", duplicates: 2, ignored: 5 });
    expect(readAggregateBatch(envelope({ part: "01" })).batch).toBe("3.01");
  });

  it.each([
    [[], /must be one JSON object/],
    [envelope({ version: 2 }), /^version: must be 1/],
    [envelope({ collector: "" }), /^collector: /],
    [envelope({ collector: "a\nb" }), /^collector: /],
    [envelope({ sequence: -1 }), /^sequence: /],
    [envelope({ sequence: 1.5 }), /^sequence: /],
    [envelope({ part: "2" }), /^part: /],
    [envelope({ duplicates: "many" }), /^duplicates: /],
    [envelope({ ignoredReasons: { a: -1 } }), /^ignoredReasons\["a"\]: /],
    [envelope({ paths: {} }), /^paths: must be an array/],
    [envelope({ extra: true }), /^extra: not a field of an aggregate batch/],
  ])("refuses %j, naming the field", (value, reason) => {
    expect(() => readAggregateBatch(value)).toThrow(AggregateFormatError);
    expect(() => readAggregateBatch(value)).toThrow(reason);
  });
});
