// `npm run bench:ingest [-- --records N --concurrency C]`: ingest throughput through HTTP.
// Starts the production server on a fresh database, sends N Hubble records (several clusters,
// namespaces and paths, 5% re-sent duplicates) as gzip NDJSON batches of 1,000 from this
// separate process, then prints sustained events/s, p50/p95 batch latency and the server's peak
// RSS, checks the stored count is exact, and times COPY of the same rows for comparison.
// `-- --aggregated`: aggregation at the edge instead (aggregated.ts).
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "../../lib/db/migrate";
import { closePool } from "../../lib/db/pool";
import { createToken } from "../../lib/tokens/manageTokens";
import { scratchDatabase } from "../lib/database";
import { samplePeakRss, treeRssBytes } from "../lib/rss";
import { generate, startServer, timeCopy } from "./common";
import { percentile } from "./percentile";

const { values } = parseArgs({
  options: {
    records: { type: "string" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "4" },
    aggregated: { type: "boolean", default: false },
    collectors: { type: "string" },
    rate: { type: "string" },
    replay: { type: "string" },
  },
});
if (values.aggregated) {
  const { runAggregated } = await import("./aggregated");
  await runAggregated({
    recordsPerCollector: Number(values.records ?? "400000"),
    collectors: Number(values.collectors ?? "2"),
    rate: Number(values.rate ?? "20000"),
    replay: Number(values.replay ?? "24"),
    concurrency: Number(values.concurrency),
  });
  process.exit(process.exitCode ?? 0);
}
const TOTAL = Number(values.records ?? "200000");
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const log = (line: string) => console.log(`[bench] ${line}`);

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
  let running: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await migrate(database.url);
    const token = (await createToken({ name: "bench", scope: "ingest", cluster: null })).secret;
    await closePool();
    running = await startServer(log);
    const { base, process: server } = running;
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
    running?.stop();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
