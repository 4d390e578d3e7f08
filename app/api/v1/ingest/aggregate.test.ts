// Integration: aggregate batches (a collector that counted at the edge) through the ingest route on
// the run's real PostgreSQL: stored as raw records are, counted once when re-sent, checked like
// everything else.
import { gzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Aggregator } from "@/lib/collector/aggregator";
import { EdgeDedupe } from "@/lib/collector/dedupe";
import { clusterFlows } from "@/lib/collector/testFlows";
import { getPool } from "@/lib/db/pool";
import { AGGREGATE_CONTENT_TYPE, type AggregateBatch } from "@/lib/ingest/aggregateFormat";
import { applyRetention } from "@/lib/ingest/retention";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

let anyClusterToken: string;
beforeAll(async () => {
  anyClusterToken = await tokenFor("ingest", null);
});
afterEach(() => {
  delete process.env.DROPBOARD_MAX_RECORDS;
});

function aggregate(lines: readonly string[], sequence = 0, collector = "test-node/0001"): AggregateBatch {
  const a = new Aggregator({ format: "auto", examplesPerPathMinute: 10, dedupe: new EdgeDedupe({ windowMs: 60_000, track: false }) });
  lines.forEach((line, i) => a.add(line, undefined, i + 1));
  const taken = a.take(collector, sequence);
  if (taken === null) throw new Error("nothing to send");
  return taken.batch;
}

async function send(batch: unknown, options: { token?: string; gzip?: boolean; query?: string; contentType?: string } = {}) {
  const json = typeof batch === "string" ? batch : JSON.stringify(batch);
  const gzip = options.gzip ?? true;
  const response = await POST(
    ingestRequest(gzip ? gzipSync(json) : json, {
      token: options.token ?? anyClusterToken,
      query: options.query,
      headers: { "content-type": options.contentType ?? AGGREGATE_CONTENT_TYPE, ...(gzip ? { "content-encoding": "gzip" } : {}) },
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { message: string; details?: { line?: number; field?: string; reason: string }[] } } };
}

/** Everything the charts and tables read for a cluster, its own name and path ids left out. */
async function whatChartsShow(cluster: string) {
  const pool = getPool();
  const q = async (sql: string) => (await pool.query(sql, [cluster])).rows;
  return {
    namespaces: await q(`SELECT bucket, namespace, direction, verdict, reason, sum(count)::int AS count FROM live_drop_rollup_minute
      WHERE cluster = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`),
    paths: await q(`SELECT namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port, protocol, first_seen, last_seen, policies, reasons
      FROM drop_paths WHERE cluster = $1 ORDER BY dst_port, direction`),
    pathMinutes: await q(`SELECT m.bucket, p.dst_port, m.verdict, m.reason, sum(m.count)::int AS count FROM live_drop_path_minute m
      JOIN drop_paths p ON p.cluster = m.cluster AND p.id = m.drop_path_id WHERE m.cluster = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
    examples: await q(`SELECT time, key, node, verdict, direction, namespace, src_pod, src_workload, src_port, dst_pod, dst_port, protocol, reason, policies, count
      FROM drop_events WHERE cluster = $1 ORDER BY key`),
  };
}

describe("aggregate batches", () => {
  it("are stored as the same records sent raw are: every chart, path fact and example the same", async () => {
    const [raw, edge] = [uniqueCluster("raw"), uniqueCluster("edge")];
    const rawFlows = clusterFlows(raw, { seed: "same" });
    const edgeFlows = clusterFlows(edge, { seed: "same" });
    const rawReply = await POST(ingestRequest(rawFlows.lines.join("\n"), { token: anyClusterToken })).then((r) => r.json());
    const { status, body } = await send(aggregate(edgeFlows.lines));
    expect(status).toBe(200);
    expect(body).toEqual({ ...rawReply, rejected: [], rejectedCount: 0 });
    expect(body.accepted).toBe(edgeFlows.drops);
    expect(await storedDropCount(edge)).toBe(edgeFlows.drops);
    const [rawCharts, edgeCharts] = [await whatChartsShow(raw), await whatChartsShow(edge)];
    expect(edgeCharts.examples.length).toBeGreaterThan(0);
    expect(edgeCharts.paths.some((p: { policies: string[] }) => p.policies.includes("payments/deny-web"))).toBe(true);
    expect(edgeCharts).toEqual(rawCharts);
  });

  it("count once when re-sent (the key is collector + sequence, per cluster), again under another key", async () => {
    const cluster = uniqueCluster("resend");
    const flows = clusterFlows(cluster);
    const batch = aggregate(flows.lines, 7);
    expect((await send(batch)).body).toMatchObject({ accepted: flows.drops, duplicates: batch.duplicates });
    const again = await send(batch);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: flows.drops + batch.duplicates, ignored: batch.ignored });
    expect(await storedDropCount(cluster)).toBe(flows.drops);
    // Concurrent re-sends (a retry racing the original) still count once.
    const racing = aggregate(flows.lines, 8);
    const replies = await Promise.all([send(racing), send(racing), send(racing)]);
    expect(replies.map((r) => r.body.accepted).sort()).toEqual([0, 0, flows.drops]);
    expect(await storedDropCount(cluster)).toBe(2 * flows.drops);
    // Another collector's batch 7 is another batch.
    expect((await send(aggregate(flows.lines, 7, "other-node/0002"))).body).toMatchObject({ accepted: flows.drops });
    const { rows } = await getPool().query("SELECT collector, batch FROM ingest_batches WHERE cluster = $1 ORDER BY collector, batch", [cluster]);
    expect(rows).toEqual([
      { collector: "other-node/0002", batch: "7" },
      { collector: "test-node/0001", batch: "7" },
      { collector: "test-node/0001", batch: "8" },
    ]);
  });

  it("refuse each bad path-minute alone, naming the field; the rest are stored; never a 5xx", async () => {
    const cluster = uniqueCluster("bad");
    const flows = clusterFlows(cluster, { minutes: 1 });
    const batch = aggregate(flows.lines, 1);
    const good = batch.paths.length;
    const bad = structuredClone(batch.paths[0]) as unknown as Record<string, unknown>;
    batch.paths.push({ ...bad, dstPort: 99_999 } as never, { ...bad, namespace: "n".repeat(300) } as never, "not an object" as never);
    const { status, body } = await send(batch);
    expect(status).toBe(200);
    expect(body.rejected).toEqual([
      { line: good + 1, reason: "dstPort: must be a whole number in 0..65535" },
      { line: good + 2, reason: "namespace: longer than 253 characters" },
      { line: good + 3, reason: "a path-minute must be a JSON object" },
    ]);
    expect(await storedDropCount(cluster)).toBe(flows.drops);

    // Hostile values in every field of a path-minute and its parts: a 200 or a 4xx, never a 5xx.
    const hostile: unknown[] = [null, -1, 1.5, 1e308, "", "x".repeat(5000), "\u0000", [], {}, [1, 2], { a: 1 }, true, "2026-13-45T99:99:99Z"];
    const template = structuredClone(batch.paths[0]) as unknown as Record<string, unknown>;
    const targets: [Record<string, unknown>, string][] = [
      ...Object.keys(template).map((k) => [template, k] as [Record<string, unknown>, string]),
      ...Object.keys((template.counts as Record<string, unknown>[])[0] ?? {}).map((k) => [(template.counts as Record<string, unknown>[])[0], k] as [Record<string, unknown>, string]),
      ...Object.keys((template.examples as Record<string, unknown>[])[0] ?? {}).map((k) => [(template.examples as Record<string, unknown>[])[0], k] as [Record<string, unknown>, string]),
    ] as [Record<string, unknown>, string][];
    const paths: unknown[] = [];
    for (const [holder, key] of targets) {
      for (const value of hostile) {
        const saved = holder[key];
        holder[key] = value;
        paths.push(structuredClone(template));
        holder[key] = saved;
      }
    }
    const fuzzed = await send({ ...batch, sequence: 2, paths });
    expect(fuzzed.status).toBeLessThan(500);
    const details = (fuzzed.body.rejected ?? fuzzed.body.error?.details) as { reason: string }[];
    for (const detail of details) expect(detail.reason).toMatch(/^([a-zA-Z]+(\[\d+\])?(\.[a-zA-Z]+)?: |a path-minute must be)/);
  });

  it("bind clusters to the token: another cluster's path-minutes are refused as a record naming it is", async () => {
    const mine = uniqueCluster("mine");
    const token = await tokenFor("ingest", mine);
    const theirs = aggregate(clusterFlows(uniqueCluster("theirs"), { minutes: 1 }).lines);
    const refused = await send(theirs, { token });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.details?.[0]?.reason).toMatch(/^cluster: the path-minute is from cluster "theirs-.*", but the token may only write "mine-/);
    // Records that name no cluster are the token's.
    const unnamed = clusterFlows("x", { minutes: 1 }).lines.map((line) => line.replaceAll('"x/worker-1"', '"worker-1"'));
    expect((await send(aggregate(unnamed), { token })).body).toMatchObject({ accepted: clusterFlows("x", { minutes: 1 }).drops });
    expect(await storedDropCount(mine)).toBe(clusterFlows("x", { minutes: 1 }).drops);
  });

  it("refuse path-minutes outside the accepted window, and check the cluster in", async () => {
    const cluster = uniqueCluster("window");
    const batch = aggregate(clusterFlows(cluster, { minutes: 1 }).lines, 3);
    const old = structuredClone(batch.paths[0]) as (typeof batch.paths)[number];
    old.minute = new Date(Math.floor((Date.now() - 30 * 86_400_000) / 60_000) * 60_000).toISOString();
    old.examples = [];
    const future = structuredClone(old);
    future.minute = new Date(Math.floor((Date.now() + 3_600_000) / 60_000) * 60_000).toISOString();
    const { status, body } = await send({ ...batch, paths: [old, future] });
    expect(status).toBe(400);
    expect(body.error?.details).toEqual([
      { line: 1, reason: expect.stringMatching(/^minute: .* is older than the 14-day raw retention/) },
      { line: 2, reason: expect.stringMatching(/^last: .* is more than 10 minutes in the future/) },
    ]);
    const { rows } = await getPool().query("SELECT cluster FROM cluster_checkins WHERE cluster = $1", [cluster]);
    expect(rows).toHaveLength(1);
  });

  it("refuse a batch that cannot be read with a 4xx that says where", async () => {
    const valid = aggregate(clusterFlows(uniqueCluster("env"), { minutes: 1 }).lines);
    const cases: [unknown, RegExp][] = [
      ["{not json", /^aggregate batch: not valid JSON/],
      [{ ...valid, sequence: -3 }, /^aggregate batch: sequence: must be a whole number/],
      [{ ...valid, version: 9 }, /^aggregate batch: version: must be 1/],
      [{ ...valid, paths: "all of them" }, /^aggregate batch: paths: must be an array/],
    ];
    for (const [batch, message] of cases) {
      const { status, body } = await send(batch);
      expect(status).toBe(400);
      expect(body.error?.message).toMatch(message);
      expect(body.error?.details ?? []).toEqual([]);
    }
    const mismatch = await send(valid, { query: "?format=hubble" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error?.details).toEqual([{ field: "format", reason: "must be aggregate or auto for an aggregate batch" }]);
    // ?format=aggregate names it too, whatever the content type.
    expect((await send({ ...valid, sequence: 99 }, { query: "?format=aggregate", contentType: "application/json" })).status).toBe(200);
    process.env.DROPBOARD_MAX_RECORDS = "2";
    expect((await send({ ...valid, sequence: 100 })).status).toBe(413);
  });

  it("keep their keys as long as the raw retention, then retention deletes them", async () => {
    const cluster = uniqueCluster("keys");
    await getPool().query(
      "INSERT INTO ingest_batches (cluster, collector, batch, newest) VALUES ($1, 'c', 'old', now() - interval '30 days'), ($1, 'c', 'recent', now() - interval '13 days')",
      [cluster],
    );
    const pass = await applyRetention(new Date(), { rawDays: 14, rollupDays: 400 });
    expect(pass?.deletedBatchKeys).toBeGreaterThanOrEqual(1);
    const { rows } = await getPool().query("SELECT batch FROM ingest_batches WHERE cluster = $1", [cluster]);
    expect(rows).toEqual([{ batch: "recent" }]);
  });
});
