// `npm run bench:ingest -- --aggregated [--collectors K --records N --rate R --replay S --concurrency C]`:
// aggregation at the edge, in two parts.
// (a) K `dropboard collect --aggregate` processes (the real CLI) each read N generated Hubble records
//     (one cluster each, R records per second of flow time: a drop storm) from a file as fast as they
//     can, into one production server through a recording proxy: collector events/s per CPU second.
// (b) The aggregate batches they sent are replayed at full speed as S simulated collectors (each its
//     own collector id and its own clusters, so neither idempotency nor the exemplar budget swallows
//     them): represented events/s, the server's CPU seconds (app and PostgreSQL) per million
//     represented events, and from it the events one server core absorbs.
// Both check that the stored totals are exact. COPY of bare rows is timed in the same run.
import { spawn } from "node:child_process";
import { closeSync, createWriteStream, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import pg from "pg";
import { migrate } from "../../lib/db/migrate";
import { closePool } from "../../lib/db/pool";
import { AGGREGATE_CONTENT_TYPE, type AggregateBatch } from "../../lib/ingest/aggregateFormat";
import { createToken } from "../../lib/tokens/manageTokens";
import { scratchDatabase } from "../lib/database";
import { findPostmaster, generate, measureCopy, startServer, treeCpuSeconds } from "./common";

const ROOT = path.resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(`[bench] ${line}`);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export interface AggregatedOptions {
  recordsPerCollector: number;
  collectors: number;
  /** Records per second of flow time, per collector. */
  rate: number;
  /** Simulated collectors in the replay. */
  replay: number;
  concurrency: number;
}

interface CollectorRun {
  records: number;
  unique: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** Records per CPU second while reading (start-up and warm-up left out); null when too few samples. */
  steady: number | null;
  final: string;
}

/** Writes the collector's CPU time to BENCH_CPU_FILE as it exits: loaded with --import, the collector's code untouched. */
const CPU_HOOK = `import { writeFileSync } from "node:fs";
process.on("exit", () => { const f = process.env.BENCH_CPU_FILE; if (f) { const u = process.cpuUsage(); writeFileSync(f, JSON.stringify({ seconds: (u.user + u.system) / 1e6 })); } });`;

interface CollectorResult {
  code: number | null;
  cpuSeconds: number;
  wallSeconds: number;
  stderr: string;
  /** (records read, CPU seconds) at each progress line: the steady rate is their slope. */
  samples: { read: number; cpu: number }[];
}

function runCollector(args: string[], input: string | null, cpuFile: string): Promise<CollectorResult> {
  const started = performance.now();
  const stdin = input === null ? "ignore" : openSync(input, "r");
  const child = spawn(process.execPath, ["--import", "tsx", "--import", `data:text/javascript,${encodeURIComponent(CPU_HOOK)}`, "scripts/dropboard.ts", "collect", ...args], {
    cwd: ROOT,
    stdio: [stdin, "ignore", "pipe"],
    env: { ...process.env, DATABASE_URL: "", BENCH_CPU_FILE: cpuFile },
  });
  if (typeof stdin === "number") closeSync(stdin);
  let stderr = "";
  const samples: CollectorResult["samples"] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const match of chunk.toString().matchAll(/\[collect\] read (\d+) · /g)) samples.push({ read: Number(match[1]), cpu: treeCpuSeconds(child.pid as number) });
  });
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      const cpu = JSON.parse(readFileSync(cpuFile, "utf8")) as { seconds: number };
      resolve({ code, cpuSeconds: cpu.seconds, wallSeconds: (performance.now() - started) / 1000, stderr, samples });
    }),
  );
}

/** Records per CPU second between the progress lines after a fifth of the input and the last one before it was all read. */
function steadyRate(samples: CollectorResult["samples"], records: number): number | null {
  const reading = samples.filter((s) => s.read >= records * 0.2 && s.read < records);
  const first = reading[0];
  const last = reading.at(-1);
  if (!first || !last || last.read - first.read < records * 0.3 || last.cpu <= first.cpu) return null;
  return (last.read - first.read) / (last.cpu - first.cpu);
}

/** A proxy in front of the server that keeps every aggregate batch the server accepted. */
async function recordingProxy(upstream: string): Promise<{ url: string; recorded: Buffer[]; server: Server }> {
  const recorded: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const name of ["authorization", "content-type", "content-encoding"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      try {
        const reply = await fetch(`${upstream}${req.url ?? "/"}`, { method: req.method, headers, body: req.method === "POST" ? body : undefined });
        const text = Buffer.from(await reply.arrayBuffer());
        if (reply.status === 200 && headers["content-type"] === AGGREGATE_CONTENT_TYPE) recorded.push(body);
        const out: Record<string, string> = { "content-type": reply.headers.get("content-type") ?? "application/json" };
        const retryAfter = reply.headers.get("retry-after");
        if (retryAfter) out["retry-after"] = retryAfter;
        res.writeHead(reply.status, out).end(text);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, recorded, server };
}

async function storedTotals(client: pg.Client, pattern: string): Promise<number> {
  const { rows } = await client.query<{ n: string | null }>("SELECT sum(count)::text AS n FROM live_drop_rollup_minute WHERE cluster LIKE $1", [pattern]);
  return Number(rows[0]?.n ?? 0);
}

async function waitForCompaction(client: pg.Client): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM drop_counts_pending");
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runAggregated(o: AggregatedOptions): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), "dropboard-bench-agg-"));
  const spanMs = Math.max(1000, Math.round((o.recordsPerCollector / o.rate) * 1000));
  log(`generating ${o.collectors} x ${fmt(o.recordsPerCollector)} Hubble records (one cluster each, ${fmt(o.rate)} records per second of flow time, 5% re-sent)`);
  const inputs: { file: string; records: number; unique: number; cluster: string }[] = [];
  for (let k = 0; k < o.collectors; k++) {
    const cluster = `bench-${k}`;
    const { unique, sent } = generate(o.recordsPerCollector, { clusters: [cluster], spanMs, seed: 42 + k });
    const file = path.join(work, `${cluster}.jsonl`);
    const out = createWriteStream(file);
    for (let i = 0; i < sent.length; i += 10_000) out.write(sent.slice(i, i + 10_000).map((r) => JSON.stringify(r)).join("\n") + "\n");
    await new Promise((resolve) => out.end(resolve));
    inputs.push({ file, records: sent.length, unique: unique.length, cluster });
  }

  const database = await scratchDatabase({ label: "bench", unsafeFast: false });
  log(database.description);
  process.env.DATABASE_URL = database.url;
  await migrate(database.url);
  const token = (await createToken({ name: "bench", scope: "ingest", cluster: null })).secret;
  await closePool();
  const server = await startServer(log);
  const proxy = await recordingProxy(server.base);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const collectorArgs = (k: number | string) => ["--server", proxy.url, "--token", token, "--aggregate", "--spool-dir", path.join(work, `spool-${k}`),
      "--heartbeat", "off", "--progress", "500ms", "--drain-timeout", "10m"];

    // Start-up alone (tsx, modules), with nothing to read: subtracted for the steady rate.
    const idle = await runCollector(collectorArgs("idle"), null, path.join(work, "cpu-idle.json"));
    log(`a collector's start-up and exit with no input: ${idle.cpuSeconds.toFixed(2)} s CPU`);

    // (a) K collectors at once, each as fast as it reads.
    log(`(a) ${o.collectors} collector processes reading as fast as they can`);
    const started = performance.now();
    const runs: CollectorRun[] = await Promise.all(
      inputs.map(async (input, k) => {
        const r = await runCollector(collectorArgs(k), input.file, path.join(work, `cpu-${k}.json`));
        if (r.code !== 0) throw new Error(`collector ${k} exited ${r.code}:\n${r.stderr.slice(-2000)}`);
        const final = r.stderr.split("\n").find((line) => line.endsWith("(final)")) ?? "";
        return {
          records: input.records, unique: input.unique, cpuSeconds: r.cpuSeconds, wallSeconds: r.wallSeconds,
          steady: steadyRate(r.samples, input.records), final: final.replace(/^.*\[collect\] /, ""),
        };
      }),
    );
    const wallA = (performance.now() - started) / 1000;
    await waitForCompaction(client);
    const storedA = await storedTotals(client, "bench-%");
    const uniqueA = inputs.reduce((n, i) => n + i.unique, 0);
    const recordsA = inputs.reduce((n, i) => n + i.records, 0);
    const batches = proxy.recorded.map((body) => JSON.parse(gunzipSync(body).toString("utf8")) as AggregateBatch);
    const pathMinutes = batches.reduce((n, b) => n + b.paths.length, 0);
    const examples = batches.reduce((n, b) => n + b.paths.reduce((m, p) => m + (p.examples?.length ?? 0), 0), 0);
    const sentBytes = proxy.recorded.reduce((n, b) => n + b.length, 0);

    // (b) The recorded batches replayed as S simulated collectors, each its own id and clusters.
    log(`(b) replaying ${batches.length} recorded batches as ${o.replay} simulated collectors, ${o.concurrency} requests in flight`);
    const bodies: Buffer[] = [];
    for (let s = 1; s <= o.replay; s++) {
      for (const batch of batches) {
        const renamed: AggregateBatch = { ...batch, collector: `sim-${s}`, paths: batch.paths.map((p) => ({ ...p, cluster: `${p.cluster ?? "default"}-s${s}` })) };
        bodies.push(gzipSync(JSON.stringify(renamed)));
      }
    }
    const postmaster = findPostmaster(Number(new URL(database.url).port));
    const cpu = () => ({ app: treeCpuSeconds(server.process.pid as number), db: postmaster === null ? 0 : treeCpuSeconds(postmaster) });
    const before = cpu();
    let represented = 0;
    let next = 0;
    const replayStarted = performance.now();
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          for (let attempt = 1; ; attempt++) {
            let response: Response;
            try {
              response = await fetch(`${server.base}/api/v1/ingest`, {
                method: "POST",
                headers: { authorization: `Bearer ${token}`, "content-type": AGGREGATE_CONTENT_TYPE, "content-encoding": "gzip" },
                body: new Uint8Array(bodies[i] as Buffer),
              });
            } catch (error) {
              // A kept-alive connection the server closed while idle: sent again, as a collector would (it counts once).
              if (attempt < 3) continue;
              throw error;
            }
            const reply = (await response.json()) as { accepted: number; duplicates: number };
            if (response.status === 429) continue;
            if (response.status !== 200) throw new Error(`replayed batch ${i}: HTTP ${response.status} ${JSON.stringify(reply).slice(0, 500)}`);
            represented += reply.accepted + reply.duplicates;
            break;
          }
        }
      }),
    );
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    // Compaction of what the replay wrote is part of its cost.
    await waitForCompaction(client);
    const after = cpu();
    const appCpu = after.app - before.app;
    const dbCpu = after.db - before.db;
    const storedB = await storedTotals(client, "bench-%-s%");
    const expectedB = o.replay * uniqueA;
    const copy = await measureCopy(database.url, generate(Math.min(o.recordsPerCollector, 200_000), { clusters: ["bench-0"], spanMs, seed: 42 }).unique, postmaster);

    const collectorCpu = runs.reduce((n, r) => n + r.cpuSeconds, 0);
    const netCpu = runs.reduce((n, r) => n + Math.max(0.001, r.cpuSeconds - idle.cpuSeconds), 0);
    const serverCpu = appCpu + dbCpu;
    const capacity = represented / serverCpu;
    console.log("");
    console.log(`(a) collectors           ${o.collectors} processes, ${fmt(recordsA)} records read (${fmt(uniqueA)} unique drops) in ${wallA.toFixed(1)} s: ${fmt(recordsA / wallA)} records/s into one server`);
    for (const [k, r] of runs.entries()) {
      console.log(
        `    collector ${k}           ${r.cpuSeconds.toFixed(2)} s CPU in ${r.wallSeconds.toFixed(1)} s: ${fmt(r.records / r.cpuSeconds)} events/s per core over the whole run, ` +
          `${fmt(r.records / Math.max(0.001, r.cpuSeconds - idle.cpuSeconds))} net of start-up, ${r.steady === null ? "steady rate n/a" : `${fmt(r.steady)} while reading (steady)`}`,
      );
      console.log(`      ${r.final}`);
    }
    const steady = runs.every((r) => r.steady !== null) ? runs.reduce((n, r) => n + (r.steady as number), 0) / runs.length : null;
    console.log(
      `    per core              ${fmt(recordsA / collectorCpu)} events/s per collector CPU second over whole runs (${fmt(recordsA / netCpu)} net of ${idle.cpuSeconds.toFixed(2)} s start-up each` +
        `${steady === null ? "" : `; ${fmt(steady)} steady`}); target >= 50,000`,
    );
    console.log(`    stored drops          ${fmt(storedA)} ${storedA === uniqueA ? "= unique records: exact" : `!= ${fmt(uniqueA)} unique records: WRONG`}`);
    console.log(`    aggregate batches     ${batches.length} (${fmt(pathMinutes)} path-minutes, ${fmt(examples)} examples, ${(sentBytes / 1024 / 1024).toFixed(1)} MiB gzip; ${fmt(uniqueA / Math.max(1, pathMinutes))} drops per path-minute)`);
    console.log(`(b) replay               ${bodies.length} batches from ${o.replay} simulated collectors: ${fmt(represented)} represented events in ${replaySeconds.toFixed(2)} s = ${fmt(represented / replaySeconds)} events/s`);
    console.log(`    server CPU            app ${appCpu.toFixed(2)} s + PostgreSQL ${postmaster === null ? "n/a (external)" : `${dbCpu.toFixed(2)} s`} = ${(serverCpu / (represented / 1e6)).toFixed(3)} s per million represented events (compaction included)`);
    console.log(`    capacity per core     ${fmt(capacity)} represented events/s per server CPU second (app alone: ${fmt(represented / appCpu)})`);
    console.log(`    stored drops          ${fmt(storedB)} ${storedB === expectedB ? `= ${o.replay} x ${fmt(uniqueA)}: exact` : `!= ${fmt(expectedB)}: WRONG`}`);
    console.log(
      `COPY of bare rows        ${fmt(copy.rowsPerSecond)} rows/s on one connection (events table only)` +
        `${copy.rowsPerCpuSecond === null ? "" : `, ${fmt(copy.rowsPerCpuSecond)} rows per CPU second (PostgreSQL + the client writing them)`}`,
    );
    console.log(
      `capacity / COPY          ${(capacity / copy.rowsPerSecond).toFixed(1)}x COPY's rows/s` +
        `${copy.rowsPerCpuSecond === null ? "" : `, ${(capacity / copy.rowsPerCpuSecond).toFixed(1)}x its rows per CPU second`}; target >= 10x`,
    );
    if (storedA !== uniqueA || storedB !== expectedB) process.exitCode = 1;
  } finally {
    await client.end().catch(() => undefined);
    proxy.server.close();
    server.stop();
    await database.close();
    await rm(work, { recursive: true, force: true });
  }
}
