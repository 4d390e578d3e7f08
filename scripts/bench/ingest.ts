// `npm run bench:ingest [-- --records N --concurrency C]`: ingest throughput through HTTP.
// Starts the production server on a fresh database, sends N Hubble records (several clusters,
// namespaces and paths, 5% re-sent duplicates) as gzip NDJSON batches of 1,000 from this
// separate process, then prints sustained events/s, p50/p95 batch latency and the server's peak
// RSS, checks the stored count is exact, and times COPY of the same rows for comparison.
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { freePort } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { closePool } from "../../lib/db/pool";
import { dropPathId } from "../../lib/ingest/keys";
import { toArrayLiteral } from "../../lib/ingest/store";
import { hubbleFlow, type FlowSpec } from "../../lib/testing/hubbleFlows";
import { createToken } from "../../lib/tokens/manageTokens";
import { scratchDatabase } from "../lib/database";
import { ensureProductionBuild } from "../lib/build";
import type { ChildProcess } from "node:child_process";
import { NEXT_BIN, spawnNode } from "../lib/process";
import { samplePeakRss, treeRssBytes } from "../lib/rss";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "200000" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "4" },
  },
});
const TOTAL = Number(values.records);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const log = (line: string) => console.log(`[bench] ${line}`);

const CLUSTERS = ["prod-eu", "prod-us", "staging"];
const NAMESPACES = ["payments", "checkout", "catalog", "search", "auth", "web", "batch", "reports", "ml", "kube-system", "monitoring", "ingress", "db", "cache", "queue"];
const WORKLOADS = ["api", "worker", "frontend", "postgres", "redis", "consumer", "exporter"];
const PORTS = [80, 443, 5432, 6379, 8080, 9090, 53];

/** A deterministic pseudo-random generator, so runs are comparable. */
function rng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface PathTemplate {
  cluster: string;
  direction: "INGRESS" | "EGRESS";
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace: string;
  dstWorkload: string;
  dstPort: number;
  verdict: "DROPPED" | "AUDIT";
  policy?: string;
}

/**
 * A live stream as `hubble observe --follow` ships it: time-ordered over the last few minutes,
 * drawn from a few hundred drop paths with a long tail (a few chronic paths carry most drops).
 */
function generate(total: number): { unique: ReturnType<typeof hubbleFlow>[]; sent: ReturnType<typeof hubbleFlow>[] } {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const paths: PathTemplate[] = Array.from({ length: 600 }, () => ({
    cluster: pick(CLUSTERS),
    direction: random() < 0.7 ? "INGRESS" : "EGRESS",
    srcNamespace: pick(NAMESPACES),
    srcWorkload: pick(WORKLOADS),
    dstNamespace: pick(NAMESPACES),
    dstWorkload: pick(WORKLOADS),
    dstPort: pick(PORTS),
    verdict: random() < 0.15 ? "AUDIT" : "DROPPED",
    policy: random() < 0.3 ? "default-deny" : undefined,
  }));
  const uniqueCount = Math.round(total / 1.05);
  const spanMs = 10 * 60_000;
  const start = Date.now() - spanMs - 60_000;
  const unique = Array.from({ length: uniqueCount }, (_, i) => {
    const path = paths[Math.floor(paths.length * random() ** 3)]!;
    const spec: FlowSpec = {
      ...path,
      time: new Date(start + Math.floor((i / uniqueCount) * spanMs)),
      node: `worker-${Math.floor(random() * 6)}`,
      srcPort: 30000 + (i % 30000),
    };
    return hubbleFlow(spec);
  });
  // 5% of the records are re-sent a little later, as a collector retrying a batch would.
  const sent: ReturnType<typeof hubbleFlow>[] = [];
  for (let i = 0; i < uniqueCount; i++) {
    sent.push(unique[i]!);
    if (random() < 0.05 && i > 2000) sent.push(unique[i - 1000 - Math.floor(random() * 1000)]!);
  }
  return { unique, sent };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function sendAll(url: string, token: string, batches: Uint8Array<ArrayBuffer>[]): Promise<{ latencies: number[]; accepted: number; duplicates: number; seconds: number }> {
  const latencies: number[] = [];
  let accepted = 0;
  let duplicates = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const t0 = performance.now();
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "content-encoding": "gzip" },
        body: batches[i]!,
      });
      const reply = (await response.json()) as { accepted: number; duplicates: number };
      if (response.status !== 200) throw new Error(`batch ${i}: HTTP ${response.status} ${JSON.stringify(reply)}`);
      latencies.push(performance.now() - t0);
      accepted += reply.accepted;
      duplicates += reply.duplicates;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, accepted, duplicates, seconds: (performance.now() - started) / 1000 };
}

/** Raw rows kept, and the on-disk bytes (heap + indexes, all day partitions) of the raw and dedupe tables. */
async function storedSizes(databaseUrl: string): Promise<{ rawRows: number; rawBytes: number; keyBytes: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const size = async (parent: string) =>
    Number(
      (await client.query<{ bytes: string }>("SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)::text AS bytes FROM pg_inherits WHERE inhparent = $1::regclass", [parent]))
        .rows[0]?.bytes ?? 0,
    );
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM drop_events");
  const sizes = { rawRows: rows[0]?.n ?? 0, rawBytes: await size("drop_events"), keyBytes: await size("drop_event_keys") };
  await client.end();
  return sizes;
}

/** COPY of the same (unique) rows straight into drop_events, after emptying it: the floor for comparison. */
async function timeCopy(databaseUrl: string, unique: ReturnType<typeof hubbleFlow>[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("TRUNCATE drop_events");
  const esc = (v: string | number | null | undefined) =>
    v === null || v === undefined ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
  const rows = unique.map((r) => {
    const f = r.flow as Record<string, never>;
    const [cluster, node] = r.node_name.split("/") as [string, string];
    const src = f.source as unknown as { namespace: string; pod_name: string; labels: string[] };
    const dst = f.destination as unknown as { namespace: string; pod_name: string; labels: string[] };
    const l4 = (f.l4 as unknown as { TCP: { source_port: number; destination_port: number } }).TCP;
    const direction = f.traffic_direction as unknown as string;
    const namespace = direction === "EGRESS" ? src.namespace : dst.namespace;
    const path = dropPathId({ cluster, direction, srcNamespace: src.namespace, srcWorkload: "w", dstNamespace: dst.namespace, dstWorkload: "w", dstPort: l4.destination_port, protocol: "TCP" });
    return [
      f.time, cluster, `hubble:${String(f.uuid)}`, node, f.verdict, direction, namespace,
      src.namespace, src.pod_name, "Deployment/w", "10.0.1.10", l4.source_port, null, toArrayLiteral(src.labels),
      dst.namespace, dst.pod_name, "Deployment/w", "10.0.2.20", l4.destination_port, null, toArrayLiteral(dst.labels),
      "TCP", null, "POLICY_DENIED", "{}", 1, "hubble", path,
    ].map(esc).join("\t");
  });
  const started = performance.now();
  const stream = client.query(
    copyFrom(`COPY drop_events (time, cluster, key, node, verdict, direction, namespace, src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
      dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels, protocol, icmp_type, reason, policies, count, source, drop_path_id) FROM STDIN`),
  );
  await pipeline(Readable.from(rows.map((row) => row + "\n")), stream);
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return unique.length / seconds;
}

async function main(): Promise<void> {
  log(`generating ${TOTAL} Hubble records (batches of ${BATCH}, ${CONCURRENCY} in flight)`);
  const { unique, sent } = generate(TOTAL);
  const batches: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < sent.length; i += BATCH) {
    batches.push(new Uint8Array(gzipSync(sent.slice(i, i + BATCH).map((r) => JSON.stringify(r)).join("\n") + "\n")));
  }
  const database = await scratchDatabase({ label: "bench", unsafeFast: false });
  log(database.description);
  process.env.DATABASE_URL = database.url;
  let server: ChildProcess | undefined;
  try {
    await migrate(database.url);
    const token = (await createToken({ name: "bench", scope: "ingest", cluster: null })).secret;
    await closePool();
    await ensureProductionBuild(process.env, log);
    const port = await freePort();
    server = spawnNode(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], { ...process.env, NODE_ENV: "production" });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i > 200) throw new Error("server did not start");
      const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Warm-up: the first requests compile and cache; not part of the figure.
    await sendAll(`${base}/api/v1/ingest`, token, batches.slice(0, 3));
    const idleRss = treeRssBytes(server.pid!);
    const rss = samplePeakRss(server.pid!);
    const result = await sendAll(`${base}/api/v1/ingest`, token, batches);
    const peakRss = rss.stop();

    const stored = await fetch(`${base}/api/v1/drops/series?from=${new Date(Date.now() - 3 * 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&step=1h`).then((r) => r.json() as Promise<{ total: number }>);
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const eventsPerSecond = sent.length / result.seconds;
    const { rawRows, rawBytes, keyBytes } = await storedSizes(database.url);
    const copyRate = await timeCopy(database.url, unique);

    console.log("");
    console.log(`records sent          ${sent.length} in ${batches.length} batches (${unique.length} unique, ${sent.length - unique.length} re-sent)`);
    console.log(`accepted / duplicates ${result.accepted} / ${result.duplicates}  (warm-up batches counted as duplicates on resend)`);
    console.log(`stored drops (series) ${stored.total}  ${stored.total === unique.length ? "= unique records: exact" : "!= unique records: WRONG"}`);
    console.log(`raw rows kept         ${rawRows} exemplars (${((100 * rawRows) / unique.length).toFixed(1)}% of drops; DROPBOARD_EXEMPLARS_PER_PATH_MINUTE=${process.env.DROPBOARD_EXEMPLARS_PER_PATH_MINUTE ?? "default"})`);
    console.log(
      `storage per drop      ${(rawBytes / unique.length).toFixed(0)} B of raw rows + ${(keyBytes / unique.length).toFixed(0)} B of dedupe identity (heap + indexes; one raw row is ${(rawBytes / Math.max(rawRows, 1)).toFixed(0)} B)`,
    );
    console.log(`sustained throughput  ${Math.round(eventsPerSecond).toLocaleString("en-US")} events/s over ${result.seconds.toFixed(2)} s`);
    console.log(`batch latency         p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
    console.log(`server peak RSS       ${(peakRss / 1024 / 1024).toFixed(0)} MB (next start and its children; ${(idleRss / 1024 / 1024).toFixed(0)} MB after warm-up)`);
    console.log(`COPY of the same rows ${Math.round(copyRate).toLocaleString("en-US")} rows/s (events table only, no rollups)`);
    console.log(`ours / COPY           ${(eventsPerSecond / copyRate).toFixed(2)}`);
    if (stored.total !== unique.length) process.exitCode = 1;
  } finally {
    server?.kill("SIGTERM");
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
