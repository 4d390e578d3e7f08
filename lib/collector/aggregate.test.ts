// Aggregation at the edge, end to end: the real `dropboard collect` CLI (aggregating, as it does by
// default for a native source) reading an in-process Hubble Relay into the real ingest route on the
// run's PostgreSQL, killed and restarted while the server is down. Every chart must show exactly
// the drops the relay sent, each once: re-sent batches count once by their key, and the flows the
// restarted collector reads again (its resume overlap) once by the ledger of what it counted.
import { spawn } from "node:child_process";
import { appendFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/ingest/route";
import { getPool } from "../db/pool";
import { getTopDropPaths } from "../queries/drops/getTopDropPaths";
import { storedDropCount, tokenFor, uniqueCluster } from "../testing/db";
import type { IngestServer } from "../testing/ingestServer";
import { startCollector } from "./collect";
import { startFakeRelay, type HubbleResponseJson } from "./native/testGrpc";
import { parseCollectArgs } from "./options";
import { clusterFlows } from "./testFlows";
import { startCollectorTestServer } from "./testServer";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: IngestServer;
beforeAll(async () => {
  server = (await startCollectorTestServer(POST)).server;
});
afterAll(() => server.stop());

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function collectProcess(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", "collect", ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: "" },
  });
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, log: () => log };
}

/** What every chart reads, summed: the namespace rollups, the per-path rollups and the top paths. */
async function chartTotals(cluster: string): Promise<{ series: number; namespaces: number; paths: number; topPaths: number }> {
  const pool = getPool();
  const sum = async (sql: string) => Number((await pool.query<{ n: string | null }>(sql, [cluster])).rows[0]?.n ?? 0);
  const top = await getTopDropPaths({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000), limit: 100, cluster: [cluster] });
  return {
    series: await storedDropCount(cluster),
    namespaces: await sum("SELECT sum(count)::text AS n FROM live_drop_rollup_minute WHERE cluster = $1"),
    paths: await sum("SELECT sum(count)::text AS n FROM live_drop_path_minute WHERE cluster = $1"),
    topPaths: top.reduce((n, p) => n + p.count, 0),
  };
}

describe("collect --aggregate: exact across a collector restart and a server outage", () => {
  it("a Hubble Relay collector killed while the server is down, restarted, and fed on: every chart counts each drop once", async () => {
    const cluster = uniqueCluster("agg");
    const token = await tokenFor("ingest", cluster);
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-agg-"));
    const relay = await startFakeRelay();
    const flows = clusterFlows(cluster, { minutes: 4, perMinute: 12 });
    // What the relay streams: every record but the garbage line (the relay speaks protobuf); FORWARDED ones it filters out itself.
    const messages = flows.lines.slice(0, -1).map((line) => JSON.parse(line) as HubbleResponseJson);
    const third = Math.floor(messages.length / 3);
    const args = ["--server", server.url, "--token", token, "--hubble-relay", relay.address, "--spool-dir", spoolDir,
      "--flush", "150ms", "--retry-base", "100ms", "--retry-max", "400ms", "--progress", "500ms", "--heartbeat", "off"];
    const first = collectProcess(args);
    let second: ReturnType<typeof collectProcess> | null = null;
    try {
      await until(() => relay.requests.length === 1, "the collector's GetFlows request");
      relay.publish(messages.slice(0, third));
      await until(async () => (await storedDropCount(cluster)) > 0 && /aggregated into \d+ path-minutes/.test(first.log()) && /spooled 0 in 0 batches/.test(first.log().split("\n").at(-2) ?? ""), "the first third sent");

      // The server goes down; the collector reads on, spooling aggregate batches; then it is killed (no flush).
      await server.stop();
      relay.publish(messages.slice(third, 2 * third));
      await until(() => /cannot send \(network/.test(first.log()), "the outage noticed");
      await sleep(600);
      first.child.kill("SIGKILL");
      await first.exited;
      expect(first.log()).toMatch(/spooled [1-9]\d* in [1-9]\d* batches/);

      // Back up; a new collector sends what the last one spooled, and reads from the relay's buffer
      // again from 30 s before the last flow it committed.
      await server.start();
      second = collectProcess(args);
      await until(() => relay.requests.length === 2, "the restarted collector's request");
      expect(relay.requests[1]?.since).toBeDefined();
      relay.publish(messages.slice(2 * third));
      await until(async () => (await storedDropCount(cluster)) >= flows.drops, "every drop stored", 40_000);
      await sleep(800);
      second.child.kill("SIGTERM");
      expect(await second.exited, second.log()).toBe(0);
      // The restarted collector read flows the first had counted (its resume overlap) and counted them not again.
      expect(second.log()).toMatch(/resuming: \d+ records in [1-9]\d* spooled batches/);
      const final = second.log().split("\n").find((line) => line.endsWith("(final)")) ?? "";
      expect(final).toMatch(/duplicates [1-9]\d*/);
      expect(final).toMatch(/spooled 0 in 0 batches/);

      const totals = await chartTotals(cluster);
      expect(totals).toEqual({ series: flows.drops, namespaces: flows.drops, paths: flows.drops, topPaths: flows.drops });
      // The PolicyVerdict copies named the policy on the path their Drop events count on.
      const top = await getTopDropPaths({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000), limit: 10, cluster: [cluster] });
      expect(top.find((p) => p.dstPort === 8080)?.policies).toEqual(["payments/deny-web"]);
    } finally {
      first.child.kill("SIGKILL");
      second?.child.kill("SIGKILL");
      await relay.stop();
    }
  }, 120_000);

  it("a followed file, aggregated on request, killed mid-stream and restarted: batches it had not committed are dropped and read again, none counted twice", async () => {
    const cluster = uniqueCluster("aggfile");
    const token = await tokenFor("ingest", cluster);
    const dir = await mkdtemp(path.join(tmpdir(), "dropboard-aggfile-"));
    const file = path.join(dir, "flows.log");
    const flows = clusterFlows(cluster, { minutes: 6, perMinute: 40 });
    const half = Math.floor(flows.lines.length / 2);
    await writeFile(file, flows.lines.slice(0, half).join("\n") + "\n");
    const args = ["--server", server.url, "--token", token, "--file", file, "--from-start", "--aggregate", "--spool-dir", path.join(dir, "spool"),
      "--batch", "3", "--flush", "50ms", "--retry-base", "100ms", "--retry-max", "300ms", "--progress", "200ms", "--heartbeat", "off"];
    server.override = (request) => (new URL(request.url).pathname.endsWith("/ingest") ? new Response("down", { status: 503 }) : null);
    const first = collectProcess(args);
    let second: ReturnType<typeof collectProcess> | null = null;
    try {
      await until(() => /spooled [1-9]\d* in [2-9]\d* batches/.test(first.log()), "batches spooled while the server answers 503");
      first.child.kill("SIGKILL");
      await first.exited;
      // As if it had been killed between writing a batch and committing it: an aggregate batch numbered
      // after the last commit, under a key of its own, holding records already counted.
      const spooled = (await readdir(path.join(dir, "spool"))).filter((name) => name.endsWith(".agg.gz")).sort();
      const last = spooled.at(-1) as string;
      const batch = JSON.parse(gunzipSync(await readFile(path.join(dir, "spool", last))).toString()) as { sequence: number };
      batch.sequence += 1000;
      const orphan = `${String(Number(last.slice(0, 16)) + 1).padStart(16, "0")}${last.slice(16)}`;
      await writeFile(path.join(dir, "spool", orphan), gzipSync(JSON.stringify(batch)));
      server.override = null;
      await appendFile(file, flows.lines.slice(half).join("\n") + "\n");
      second = collectProcess(args);
      await until(async () => (await storedDropCount(cluster)) >= flows.drops, "every drop stored");
      await sleep(500);
      second.child.kill("SIGTERM");
      expect(await second.exited, second.log()).toBe(0);
      expect(await chartTotals(cluster)).toEqual({ series: flows.drops, namespaces: flows.drops, paths: flows.drops, topPaths: flows.drops });
      expect(second.log()).toMatch(/an earlier run stopped before committing aggregate batches of [1-9]\d* records: dropped them/);
      // The garbage line was rejected at the edge, named by its line.
      expect(second.log()).toMatch(/rejected 1 records here \(not sent\); line \d+: not valid JSON/);
    } finally {
      server.override = null;
      first.child.kill("SIGKILL");
      second?.child.kill("SIGKILL");
    }
  }, 90_000);

  it("a batch the server finds too large (413) goes in halves, each under its own key, and counts once", async () => {
    const cluster = uniqueCluster("agg413");
    const token = await tokenFor("ingest", cluster);
    const flows = clusterFlows(cluster, { minutes: 2 });
    let tooLarge = 1;
    server.override = (request) =>
      new URL(request.url).pathname.endsWith("/ingest") && tooLarge-- > 0 ? Response.json({ error: { code: "payload_too_large", message: "too large" } }, { status: 413 }) : null;
    try {
      const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-agg413-"));
      const options = parseCollectArgs(["--server", server.url, "--token", token, "--aggregate", "--spool-dir", spoolDir, "--flush", "1m", "--heartbeat", "off"], {});
      const messages: string[] = [];
      const run = startCollector(options, { input: Readable.from(flows.lines.map((line) => `${line}\n`)), log: (m) => messages.push(m) });
      expect(await run.done).toEqual({ code: 0, reason: "done" });
      expect(messages).toContainEqual(expect.stringContaining("too large; sending it in halves"));
      expect(run.stats).toMatchObject({ read: flows.lines.length, accepted: flows.drops, rejected: 1, refused: 0 });
      expect(run.stats.sent).toBe(run.stats.read - 1);
    } finally {
      server.override = null;
    }
    expect(await storedDropCount(cluster)).toBe(flows.drops);
    const { rows } = await getPool().query("SELECT batch FROM ingest_batches WHERE cluster = $1 ORDER BY batch", [cluster]);
    expect(rows).toEqual([{ batch: "0.0" }, { batch: "0.1" }]);
  });
});
