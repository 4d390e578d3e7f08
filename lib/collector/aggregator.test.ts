// The edge's aggregation against the server's own reading of the same records: one code path.
import { describe, expect, it } from "vitest";
import { readAggregateBatch, readPathMinute, type AggregateBatch } from "../ingest/aggregateFormat";
import { readRecord } from "../ingest/normalise";
import { readLine } from "../ingest/records";
import { fixtureLines } from "../testing/formats";
import { hubbleDrop, hubbleFlow } from "../testing/hubbleFlows";
import { Aggregator } from "./aggregator";
import { EdgeDedupe } from "./dedupe";
import { clusterFlows } from "./testFlows";

const aggregator = (examples = 10, windowMs = 60_000) =>
  new Aggregator({ format: "auto", examplesPerPathMinute: examples, dedupe: new EdgeDedupe({ windowMs, track: false }) });

function take(a: Aggregator): AggregateBatch {
  const taken = a.take("test/1", 0);
  if (taken === null) throw new Error("nothing gathered");
  // Whatever the edge sends, the server reads without refusal.
  const wire = JSON.parse(JSON.stringify(taken.batch)) as unknown;
  const read = readAggregateBatch(wire);
  for (const path of read.paths) readPathMinute(path);
  return taken.batch;
}

/** What the server counts of these lines: per verdict+reason, each identity once (pipeline.ts). */
function serverCounts(lines: string[]): { counts: Map<string, number>; ignored: Record<string, number>; rejected: number } {
  const counts = new Map<string, number>();
  const ignored: Record<string, number> = {};
  const identities = new Set<string>();
  let rejected = 0;
  lines.forEach((line, i) => {
    const raw = readLine(line, i + 1);
    if ("error" in raw) return void rejected++;
    const step = readRecord(raw, { format: "auto", tokenCluster: null }, null);
    if ("rejected" in step) return void rejected++;
    if ("ignored" in step) return void (ignored[step.ignored] = (ignored[step.ignored] ?? 0) + 1);
    if (step.annotation !== null) return void (ignored[step.annotation] = (ignored[step.annotation] ?? 0) + 1);
    if (identities.has(step.storable.identity)) return;
    identities.add(step.storable.identity);
    const key = `${step.storable.verdict} ${step.storable.reason}`;
    counts.set(key, (counts.get(key) ?? 0) + step.storable.count);
  });
  return { counts, ignored, rejected };
}

function edgeCounts(batch: AggregateBatch): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of batch.paths) for (const c of path.counts) counts.set(`${c.verdict} ${c.reason}`, (counts.get(`${c.verdict} ${c.reason}`) ?? 0) + c.count);
  return counts;
}

describe("aggregation at the edge", () => {
  it.each(["hubble", "calico", "goldmane", "netobserv", "antrea"])("counts %s fixtures as the server's parsers do, per verdict and reason", (source) => {
    const lines = fixtureLines(source).map((f) => f.line);
    const a = aggregator();
    for (const [i, line] of lines.entries()) a.add(line, undefined, i + 1);
    const expected = serverCounts(lines);
    const rejections = a.takeRejections();
    expect(rejections.count).toBe(expected.rejected);
    if (expected.counts.size === 0 && Object.keys(expected.ignored).length === 0) return;
    const batch = take(a);
    expect(edgeCounts(batch)).toEqual(expected.counts);
    expect(batch.ignoredReasons).toEqual(expected.ignored);
  });

  it("counts per drop path and minute, de-duplicates repeats, carries PolicyVerdict copies' policies, and rejects what the server rejects", () => {
    const flows = clusterFlows("edge", { minutes: 3, perMinute: 12 });
    const a = aggregator(4);
    const outcomes = flows.lines.map((line, i) => a.add(line, undefined, i + 1));
    const batch = take(a);
    const counted = batch.paths.reduce((n, p) => n + p.counts.reduce((m, c) => m + c.records, 0), 0);
    expect(counted).toBe(flows.drops);
    expect(outcomes.filter((o) => o === "counted")).toHaveLength(flows.drops);
    expect(batch.duplicates).toBe(outcomes.filter((o) => o === "duplicate").length);
    expect(batch.duplicates).toBeGreaterThan(0);
    expect(batch.ignoredReasons).toEqual(serverCounts(flows.lines).ignored);
    expect(batch.ignoredReasons["policy-verdict copy"]).toBe(36);
    expect(a.takeRejections()).toMatchObject({ count: 1, first: [{ line: flows.lines.length, reason: expect.stringContaining("not valid JSON") }] });
    // One path-minute per path and minute: 4 paths x 3 minutes.
    expect(batch.paths).toHaveLength(12);
    const denied = batch.paths.filter((p) => p.dstPort === 8080);
    expect(denied).toHaveLength(3);
    for (const p of denied) {
      expect(p).toMatchObject({ cluster: "edge", namespace: "payments", srcWorkload: "Deployment/frontend", policies: ["payments/deny-web"] });
      expect(p.counts).toEqual([{ verdict: "DROPPED", reason: "POLICY_DENY", count: 12, records: 12 }]);
      // Examples by the server's rules (4 here): two to whatever comes first (a Drop event and its
      // PolicyVerdict copy), the rest only to pod pairs not yet kept.
      expect(p.examples?.map((e) => [e.srcPod, e.count ?? 1])).toEqual([["frontend-a", 1], ["frontend-a", 0], ["frontend-b", 1], ["frontend-c", 1]]);
      expect(p.first).toBeLessThan(p.last);
    }
    const audit = batch.paths.filter((p) => p.counts.some((c) => c.verdict === "AUDIT"));
    expect(audit.every((p) => p.direction === "EGRESS" && p.namespace === "catalog")).toBe(true);
  });

  it("a repeat past the de-duplication window counts again (what the window cannot cover)", () => {
    const flow = hubbleFlow({ time: new Date(Date.now() - 600_000), cluster: "w", uuid: "same", srcNamespace: "a", srcWorkload: "x", dstNamespace: "b", dstWorkload: "y", dstPort: 1 });
    const later = hubbleFlow({ time: new Date(Date.now() - 300_000), cluster: "w", uuid: "other", srcNamespace: "a", srcWorkload: "x", dstNamespace: "b", dstWorkload: "y", dstPort: 1 });
    const a = aggregator(10, 60_000);
    expect(a.add(JSON.stringify(flow), undefined, 1)).toBe("counted");
    expect(a.add(JSON.stringify(flow), undefined, 2)).toBe("duplicate");
    expect(a.add(JSON.stringify(later), undefined, 3)).toBe("counted");
    // Five minutes on, the first flow's id is forgotten.
    expect(a.add(JSON.stringify(flow), undefined, 4)).toBe("counted");
  });

  it("reads a native source's objects without their lines, and annotations alone still name the path's policy", () => {
    const [drop, verdict] = hubbleDrop({ time: new Date(Date.now() - 120_000), cluster: "n", uuid: "u1", srcNamespace: "a", srcWorkload: "x", dstNamespace: "b", dstWorkload: "y", dstPort: 80, reason: "POLICY_DENY", policy: "deny" });
    const a = aggregator();
    expect(a.add("", verdict, 1)).toBe("ignored");
    let batch = take(a);
    expect(batch.paths).toHaveLength(1);
    expect(batch.paths[0]).toMatchObject({ counts: [], policies: ["b/deny"], reasons: ["POLICY_DENY"] });
    expect(batch.paths[0]?.examples?.[0]).toMatchObject({ count: 0, key: "hubble:u1-verdict" });
    expect(a.add("", drop, 2)).toBe("counted");
    batch = take(a);
    expect(batch.paths[0]?.counts).toEqual([{ verdict: "DROPPED", reason: "POLICY_DENY", count: 1, records: 1 }]);
    expect(a.take("test/1", 2)).toBeNull();
  });
});
