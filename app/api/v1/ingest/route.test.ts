// Integration: the ingest route on the run's real PostgreSQL. Each test uses its own cluster.
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getTopDropPaths } from "@/lib/queries/drops/getTopDropPaths";
import { decodeCursor, getDropEvents } from "@/lib/queries/drops/getDropEvents";
import { revokeToken } from "@/lib/tokens/manageTokens";
import { getPrisma } from "@/lib/db/prisma";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson, type FlowSpec } from "@/lib/testing/hubbleFlows";
import { ingestRequest, type IngestRequestOptions } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

const FIXTURES = path.resolve(import.meta.dirname, "../../../../lib/ingest/formats/fixtures/hubble");

let anyClusterToken: string;
beforeAll(async () => {
  anyClusterToken = await tokenFor("ingest", null);
});

afterEach(() => {
  delete process.env.DROPBOARD_MAX_BODY_BYTES;
  delete process.env.DROPBOARD_MAX_RECORDS;
});

function ingest(body: string | Buffer, options: IngestRequestOptions = {}) {
  return POST(ingestRequest(body, { ...options, token: options.token === undefined ? anyClusterToken : options.token }));
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

function flows(cluster: string, n: number, overrides: Partial<FlowSpec> = {}) {
  return Array.from({ length: n }, (_, i) =>
    hubbleFlow({
      time: minutesAgo(5 + (i % 30)),
      cluster,
      srcNamespace: "web",
      srcWorkload: "frontend",
      dstNamespace: i % 3 === 0 ? "payments" : "db",
      dstWorkload: i % 3 === 0 ? "api" : "postgres",
      dstPort: i % 3 === 0 ? 8080 : 5432,
      ...overrides,
    }),
  );
}

const storedTotal = storedDropCount;

describe("POST /api/v1/ingest", () => {
  it("stores real Hubble records of every shape and reports what it did", async () => {
    const cluster = uniqueCluster();
    const token = await tokenFor("ingest", cluster);
    // The fixtures' own timestamps are years old; shift them into the accepted window.
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const lines = ["observe-jsonpb-captured.jsonl", "observe-json-bare.json"].map((file) => {
      const record = JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8"));
      const flow = record.flow ?? record;
      flow.time = recent;
      return JSON.stringify(record);
    });
    const forwarded = JSON.stringify({ flow: { time: recent, verdict: "FORWARDED" } });
    const response = await ingest([...lines, forwarded].join("\n"), { token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2, duplicates: 0, ignored: 1, ignoredReasons: { "verdict FORWARDED is not a drop": 1 }, rejected: [], rejectedCount: 0,
    });
    expect(await storedTotal(cluster)).toBe(2);
  });

  it("counts a re-sent batch once and reports the duplicates", async () => {
    const cluster = uniqueCluster();
    const body = toNdjson(flows(cluster, 50));
    expect(await (await ingest(body)).json()).toMatchObject({ accepted: 50, duplicates: 0 });
    expect(await (await ingest(body)).json()).toMatchObject({ accepted: 0, duplicates: 50 });
    const gz = gzipSync(body);
    expect(await (await ingest(gz, { headers: { "content-encoding": "gzip" } })).json()).toMatchObject({ accepted: 0, duplicates: 50 });
    expect(await storedTotal(cluster)).toBe(50);
    const paths = await getTopDropPaths({ from: minutesAgo(120), to: new Date(), limit: 10, cluster: [cluster] });
    expect(paths.map((p) => p.count).sort()).toEqual([17, 33]);
  });

  it("counts a duplicate inside one batch once", async () => {
    const cluster = uniqueCluster();
    const [one] = flows(cluster, 1);
    const reply = await (await ingest(toNdjson([one, one, one]))).json();
    expect(reply).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await storedTotal(cluster)).toBe(1);
  });

  it("loses no count when overlapping batches arrive concurrently", async () => {
    const cluster = uniqueCluster();
    const all = flows(cluster, 600);
    // Eight batches of 150, overlapping by half: 600 distinct drops, many sent twice at once.
    const batches = Array.from({ length: 8 }, (_, i) => all.slice(i * 75, i * 75 + 150));
    const replies = await Promise.all(batches.map(async (batch) => (await ingest(toNdjson(batch))).json()));
    const accepted = replies.reduce((sum, r) => sum + r.accepted, 0);
    const duplicates = replies.reduce((sum, r) => sum + r.duplicates, 0);
    expect(accepted).toBe(600);
    expect(duplicates).toBe(8 * 150 - 600 - 75 * 1); // the last batch holds only 75
    expect(await storedTotal(cluster)).toBe(600);
    const paths = await getTopDropPaths({ from: minutesAgo(120), to: new Date(), limit: 10, cluster: [cluster] });
    expect(paths.reduce((sum, p) => sum + p.count, 0)).toBe(600);
  });

  it("stores the good records of a batch and names the lines that failed, and why", async () => {
    const cluster = uniqueCluster();
    const good = flows(cluster, 3).map((r) => JSON.stringify(r));
    const body = [
      good[0],
      "{not json",
      good[1],
      "",
      JSON.stringify({ flow: { verdict: "DROPPED" } }),
      JSON.stringify({ hello: "world" }),
      "[1, 2]",
      good[2],
    ].join("\n");
    const response = await ingest(body);
    expect(response.status).toBe(200);
    const reply = await response.json();
    expect(reply.accepted).toBe(3);
    expect(reply.rejected).toEqual([
      { line: 2, reason: expect.stringContaining("not valid JSON") },
      { line: 5, reason: "time: missing (flow.time)" },
      { line: 6, reason: expect.stringMatching(/^matches no known format \(tried Calico Goldmane\/Whisker flow, Cilium Hubble flow, .*\)$/) },
      { line: 7, reason: "expected a JSON object, got an array" },
    ]);
    expect(await storedTotal(cluster)).toBe(3);
  });

  it("accepts a JSON array and a single JSON object", async () => {
    const cluster = uniqueCluster();
    const [a, b, c] = flows(cluster, 3);
    expect(await (await ingest(JSON.stringify([a, b]), { headers: { "content-type": "application/json" } })).json()).toMatchObject({ accepted: 2 });
    expect(await (await ingest(JSON.stringify(c, null, 2), { headers: { "content-type": "application/json" } })).json()).toMatchObject({ accepted: 1 });
    expect(await storedTotal(cluster)).toBe(3);
  });

  it("rejects records for another cluster than the token's, keeping the rest", async () => {
    const cluster = uniqueCluster();
    const token = await tokenFor("ingest", cluster);
    const mine = flows(cluster, 2);
    const theirs = flows(uniqueCluster("other"), 1);
    const reply = await (await ingest(toNdjson([mine[0], theirs[0], mine[1]]), { token })).json();
    expect(reply.accepted).toBe(2);
    expect(reply.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^cluster: .* may only write/) }]);
  });

  it("puts records that name no cluster in the token's cluster", async () => {
    const cluster = uniqueCluster();
    const token = await tokenFor("ingest", cluster);
    const record = flows("x", 1)[0]!;
    record.node_name = "worker-9";
    (record.flow as Record<string, unknown>).node_name = "worker-9";
    expect(await (await ingest(toNdjson([record]), { token })).json()).toMatchObject({ accepted: 1 });
    expect(await storedTotal(cluster)).toBe(1);
  });

  it("answers 401 for a missing, unknown or revoked token", async () => {
    const body = toNdjson(flows(uniqueCluster(), 1));
    expect((await ingest(body, { token: null })).status).toBe(401);
    expect((await ingest(body, { token: "dbt_nope" })).status).toBe(401);
    expect((await ingest(body, { headers: { authorization: "Basic abc" }, token: null })).status).toBe(401);
    const cluster = uniqueCluster();
    const token = await tokenFor("ingest", cluster);
    const row = await getPrisma().apiToken.findFirstOrThrow({ where: { cluster } });
    await revokeToken(row.id);
    const response = await ingest(body, { token });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "unknown or revoked token" } });
  });

  it("answers 413 past the body limit, for plain and inflated gzip bodies, storing nothing", async () => {
    process.env.DROPBOARD_MAX_BODY_BYTES = "20000";
    const cluster = uniqueCluster();
    const body = toNdjson(flows(cluster, 40));
    expect(body.length).toBeGreaterThan(20000);
    const plain = await ingest(body);
    expect(plain.status).toBe(413);
    expect((await plain.json()).error.code).toBe("payload_too_large");
    const gz = gzipSync(body);
    expect(gz.length).toBeLessThan(20000);
    expect((await ingest(gz, { headers: { "content-encoding": "gzip" } })).status).toBe(413);
    expect(await storedTotal(cluster)).toBe(0);
  });

  it("stops a gzip bomb at the limit instead of inflating it", async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20)); // 200 MiB of spaces -> ~200 KiB
    const response = await ingest(bomb, { headers: { "content-encoding": "gzip" } });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toContain("inflated body");
  });

  it("answers 400 for a body that is not gzip although it says so", async () => {
    const response = await ingest("plain text", { headers: { "content-encoding": "gzip" } });
    expect(response.status).toBe(400);
  });

  it("answers 415 for content types and encodings it does not read", async () => {
    const body = toNdjson(flows(uniqueCluster(), 1));
    expect((await ingest(body, { headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await ingest(body, { headers: { "content-encoding": "br" } })).status).toBe(415);
  });

  it("answers 400 when nothing in the body could be ingested, or the body is empty", async () => {
    const garbage = await ingest("nope\nstill nope\n");
    expect(garbage.status).toBe(400);
    const reply = await garbage.json();
    expect(reply.error.details).toEqual([
      { line: 1, reason: expect.stringContaining('nor a known text line (tried Antrea np.log line): "nope"') },
      { line: 2, reason: expect.stringContaining("neither JSON (tried ") },
    ]);
    expect((await ingest("  \n")).status).toBe(400);
  });

  it("answers 400 naming a bad query parameter", async () => {
    const response = await ingest(toNdjson(flows(uniqueCluster(), 1)), { query: "?format=xml" });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^parameter "format"/);
  });

  it("stores nothing when asked for all-or-nothing and a record is bad", async () => {
    const cluster = uniqueCluster();
    const body = toNdjson([...flows(cluster, 2), { nope: true }]);
    const response = await ingest(body, { query: "?atomic=true" });
    expect(response.status).toBe(400);
    expect(await storedTotal(cluster)).toBe(0);
  });

  it("rejects hostile fields without failing the batch: NUL bytes, huge strings, absurd times", async () => {
    const cluster = uniqueCluster();
    const [good, nul, huge, ancient, future, proto] = flows(cluster, 6);
    (nul!.flow.source as Record<string, unknown>).pod_name = "evil\u0000pod";
    (huge!.flow.destination as Record<string, unknown>).namespace = "x".repeat(10_000);
    ancient!.flow.time = "1970-01-01T00:00:00Z";
    future!.flow.time = "2999-01-01T00:00:00Z";
    const protoLine = JSON.stringify(proto).replace('"flow":', '"__proto__":{"polluted":true},"flow":');
    const body = [good, nul, huge, ancient, future].map((r) => JSON.stringify(r)).join("\n") + "\n" + protoLine;
    const reply = await (await ingest(body)).json();
    expect(reply.accepted).toBe(2);
    expect(reply.rejected.map((r: { line: number }) => r.line)).toEqual([2, 3, 4, 5]);
    expect(reply.rejected[0].reason).toBe("srcPod: contains a NUL byte");
    expect(reply.rejected[1].reason).toBe("dstNamespace: longer than 253 characters");
    expect(reply.rejected[2].reason).toMatch(/^time: 1970-01-01T00:00:00.000Z is older than the 14-day raw retention/);
    expect(reply.rejected[3].reason).toMatch(/^time: 2999-01-01T00:00:00.000Z is more than 10 minutes in the future \(clock skew allowance, DROPBOARD_MAX_FUTURE_MINUTES\)$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers 413 past the records-per-request limit", async () => {
    process.env.DROPBOARD_MAX_RECORDS = "10";
    const response = await ingest(toNdjson(flows(uniqueCluster(), 11)));
    expect(response.status).toBe(413);
  });

  it("accepts the native format and counts `count`", async () => {
    const cluster = uniqueCluster();
    const native = {
      format: "native",
      time: minutesAgo(3).toISOString(),
      cluster,
      verdict: "AUDIT",
      direction: "EGRESS",
      srcNamespace: "batch",
      srcWorkload: "CronJob/report",
      dstNamespace: "external",
      dstPort: 443,
      protocol: "TCP",
      count: 7,
    };
    const reply = await (await ingest(JSON.stringify(native), { headers: { "content-type": "application/json" } })).json();
    expect(reply).toMatchObject({ accepted: 1 });
    expect(await storedTotal(cluster)).toBe(7);
    const bad = await ingest(JSON.stringify({ ...native, count: -1 }), { query: "?format=native" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0].reason).toMatch(/^count: /);
  });

  it("serves the stored events back, newest first, with paging", async () => {
    const cluster = uniqueCluster();
    const records = Array.from({ length: 25 }, (_, i) =>
      hubbleFlow({ time: minutesAgo(30 - i), cluster, srcNamespace: "a", srcWorkload: "w", dstNamespace: "b", dstWorkload: "v", dstPort: 80 }),
    );
    await ingest(toNdjson(records));
    const seen: string[] = [];
    let cursor: string | null = null as string | null;
    let pages = 0;
    do {
      const page = await getDropEvents({
        from: minutesAgo(60),
        to: new Date(),
        limit: 10,
        cluster: [cluster],
        cursor: cursor ? (decodeCursor(cursor) ?? undefined) : undefined,
      });
      seen.push(...page.events.map((e) => e.time));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});
