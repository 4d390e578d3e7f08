// `npm run bench:queries [-- --events 10000000]`: how fast the dashboard answers.
//  1. On the demo data: time from navigation to the overview fully drawn (stats, chart, tables)
//     in Chromium.
//  2. On N stored events (default 10 million over 30 days, 2 clusters, 15 namespaces, 2,000 drop
//     paths with a long tail), bulk-generated in SQL in the shape ingest writes: p50/p95 of every
//     API call the dashboard makes, over HTTP against the production server.
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import pg from "pg";
import { loadDemo } from "../../lib/demo/generateDemo";
import { freePort } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { closePool } from "../../lib/db/pool";
import { ensureProductionBuild } from "../lib/build";
import { scratchDatabase, type OpenDatabase } from "../lib/database";
import { NEXT_BIN, spawnNode } from "../lib/process";

const { values } = parseArgs({ options: { events: { type: "string", default: "10000000" }, runs: { type: "string", default: "30" } } });
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const DAYS = 30;
const log = (line: string) => console.log(`[bench] ${line}`);

async function withServer<T>(database: OpenDatabase, work: (base: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  // Retention off: the bench keeps 30 days of raw rows, and dropping old partitions mid-run would
  // take locks the measured reads then wait on.
  const server = spawnNode(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    ...process.env,
    DATABASE_URL: database.url,
    NODE_ENV: "production",
    DROPBOARD_RETENTION: "off",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; !(await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)); i++) {
      if (i > 200) throw new Error("server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return await work(base);
  } finally {
    server.kill("SIGTERM");
  }
}

/** The scratch database's URL in DATABASE_URL while `work` runs (lib/db reads it), then the caller's value again. */
async function usingDatabase<T>(url: string, work: () => Promise<T>): Promise<T> {
  const outer = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    await closePool();
    if (outer === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = outer;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function overviewRenderTime(): Promise<void> {
  const database = await scratchDatabase({ label: "bench_demo", unsafeFast: true });
  try {
    await migrate(database.url);
    const stored = await usingDatabase(database.url, () => loadDemo({ now: new Date() }));
    log(`demo loaded: ${stored} drops`);
    await withServer(database, async (base) => {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      const times: number[] = [];
      for (let i = 0; i < 8; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const started = performance.now();
        await page.goto(`${base}/?range=7d`);
        await page.locator(".recharts-area-area").first().waitFor();
        await page.getByRole("table", { name: "Top drop paths" }).waitFor();
        await page.getByRole("list", { name: "Clusters" }).waitFor();
        await page.waitForFunction(() => !document.querySelector('[role="status"][aria-label^="Loading"]'));
        if (i > 0) times.push(performance.now() - started); // the first load warms the server
        await page.close();
      }
      await browser.close();
      times.sort((a, b) => a - b);
      console.log(`overview (demo, 7d) drawn after navigation: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms (${times.length} loads)`);
    });
  } finally {
    await database.close();
  }
}

const GENERATE_PATHS = `
CREATE TABLE bench_paths AS
SELECT n,
  (ARRAY['bench-eu', 'bench-us'])[1 + n % 2] AS cluster,
  (CASE WHEN n % 10 < 7 THEN 'INGRESS' ELSE 'EGRESS' END)::"TrafficDirection" AS direction,
  'ns-' || (n % 15) AS src_namespace, 'Deployment/w' || (n % 23) AS src_workload,
  'ns-' || ((n / 15) % 15) AS dst_namespace, 'Deployment/v' || (n % 17) AS dst_workload,
  (ARRAY[80, 443, 5432, 6379, 8080, 9090, 53])[1 + n % 7] AS dst_port,
  CASE WHEN n % 7 = 6 THEN 'UDP' ELSE 'TCP' END AS protocol,
  (CASE WHEN n % 6 = 0 THEN 'AUDIT' ELSE 'DROPPED' END)::"Verdict" AS verdict,
  CASE WHEN n % 9 = 0 THEN 'POLICY_DENY' ELSE 'POLICY_DENIED' END AS reason,
  (1000000 + n)::bigint AS id
FROM generate_series(0, 1999) n;
ALTER TABLE bench_paths ADD COLUMN namespace text;
UPDATE bench_paths SET namespace = CASE WHEN direction = 'EGRESS' THEN src_namespace ELSE dst_namespace END;
CREATE UNIQUE INDEX ON bench_paths (n);`;

const GENERATE_EVENTS = `
INSERT INTO drop_events (time, cluster, key, node, verdict, direction, namespace, src_namespace, src_pod, src_workload, src_ip,
  src_port, src_labels, dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_labels, protocol, reason, policies, count, source, drop_path_id)
SELECT $1::timestamptz + (x.g::float8 / $3) * interval '${DAYS} days', p.cluster, 'bench:' || x.g, 'worker-' || (x.g % 8), p.verdict, p.direction,
  p.namespace, p.src_namespace, 'pod-' || (x.g % 97), p.src_workload, '10.0.1.' || (x.g % 250), 30000 + x.g % 30000, '{k8s:app=bench}',
  p.dst_namespace, 'pod-' || (x.g % 89), p.dst_workload, '10.0.2.' || (x.g % 250), p.dst_port, '{k8s:app=bench}', p.protocol, p.reason, '{}', 1, 'hubble', p.id
FROM (SELECT g, floor(2000 * random() ^ 3)::int AS pick FROM generate_series($2::bigint, $2::bigint + $4 - 1) g OFFSET 0) x
JOIN bench_paths p ON p.n = x.pick`;

const BUILD_ROLLUPS = [
  `INSERT INTO drop_rollup_minute SELECT date_trunc('minute', time), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_events GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO drop_rollup_5m SELECT date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_minute GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO drop_rollup_hour SELECT date_trunc('hour', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_minute GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO drop_rollup_day SELECT date_trunc('day', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_hour GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO drop_path_minute SELECT date_trunc('minute', time), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_events GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO drop_path_hour SELECT date_trunc('hour', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_path_minute GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO drop_path_day SELECT date_trunc('day', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_path_hour GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO drop_paths (cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port, protocol, first_seen, last_seen, policies, reasons)
   SELECT p.cluster, p.id, p.namespace, p.direction, p.src_namespace, p.src_workload, p.dst_namespace, p.dst_workload, p.dst_port, p.protocol, s.first, s.last, '{}', ARRAY[p.reason]
   FROM bench_paths p JOIN (SELECT cluster, drop_path_id, min(time) AS first, max(time) AS last FROM drop_path_minute_src GROUP BY 1, 2) s ON s.cluster = p.cluster AND s.drop_path_id = p.id`,
];

async function loadEvents(url: string, end: Date): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const start = new Date(end.getTime() - DAYS * 86_400_000);
  const days: string[] = [];
  for (let t = start.getTime() - 86_400_000; t <= end.getTime() + 86_400_000; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  await client.query("SELECT dropboard_ensure_day_partitions($1::date[])", [days]);
  await client.query(GENERATE_PATHS);
  const chunk = 1_000_000;
  for (let first = 0; first < EVENTS; first += chunk) {
    await client.query(GENERATE_EVENTS, [start, first, EVENTS, Math.min(chunk, EVENTS - first)]);
    log(`events: ${Math.min(first + chunk, EVENTS).toLocaleString("en-US")} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await client.query("CREATE TEMP VIEW drop_path_minute_src AS SELECT bucket AS time, cluster, drop_path_id FROM drop_path_minute");
  for (const sql of BUILD_ROLLUPS) await client.query(sql);
  await client.query("VACUUM ANALYZE");
  const sizes = await client.query<{ table: string; rows: string }>(
    `SELECT relname AS table, n_live_tup::text AS rows FROM pg_stat_user_tables WHERE relname LIKE 'drop_rollup%' OR relname LIKE 'drop_path%' ORDER BY relname`,
  );
  log(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; rollup rows (estimated): ${sizes.rows.map((r) => `${r.table} ${r.rows}`).join(", ")}`);
  await client.end();
}

/** Rollouts over the generated data, as a release manager would poll them (health every 30 s). */
async function addBenchRollouts(url: string, end: Date): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ago = (hours: number) => new Date(end.getTime() - hours * 3_600_000);
  await client.query(`INSERT INTO namespace_classes (id, name, patterns) VALUES ('bench-tier', 'bench-tier', '{ns-1*,!ns-13}')`);
  const rollouts: [string, string, { stage: string; at: Date; namespaces: string[]; classes: string[] }[]][] = [
    ["bench-canary", "bench-eu", [{ stage: "OBSERVE", at: ago(72), namespaces: [], classes: [] }, { stage: "CANARY", at: ago(6), namespaces: ["ns-3", "ns-4"], classes: [] }]],
    ["bench-class", "bench-eu", [{ stage: "CANARY", at: ago(48), namespaces: [], classes: ["bench-tier"] }]],
    ["bench-enforced", "bench-us", [{ stage: "CANARY", at: ago(96), namespaces: ["ns-1"], classes: [] }, { stage: "ENFORCED", at: ago(72), namespaces: [], classes: [] }]],
  ];
  for (const [id, cluster, stages] of rollouts) {
    await client.query(`INSERT INTO rollouts (id, name, policies, clusters, max_new_paths, max_increase_pct) VALUES ($1, $1, '{}', $2, 0, 50)`, [id, [cluster]]);
    for (const [i, t] of stages.entries()) {
      await client.query(
        `INSERT INTO rollout_transitions (id, rollout_id, seq, stage, at, namespaces, classes, actor) VALUES ($1, $2, $3, $4::"RolloutStage", $5, $6, $7, 'bench')`,
        [`${id}-${i}`, id, i + 1, t.stage, t.at, t.namespaces, t.classes],
      );
    }
  }
  await client.end();
}

async function apiTimings(): Promise<void> {
  const database = await scratchDatabase({ label: "bench_queries", unsafeFast: true });
  try {
    await migrate(database.url);
    const end = new Date();
    await loadEvents(database.url, end);
    await withServer(database, async (base) => {
      const ago = (ms: number) => new Date(end.getTime() - ms).toISOString();
      const H = 3_600_000;
      const to = end.toISOString();
      const path = (await (await fetch(`${base}/api/v1/drops/paths?from=${ago(24 * H)}&to=${to}&limit=1`)).json()) as { paths: { id: string; cluster: string }[] };
      const top = path.paths[0];
      await addBenchRollouts(database.url, end);
      const calls: [string, string][] = [
        ["series by namespace, 1h (1m buckets)", `/api/v1/drops/series?from=${ago(H)}&to=${to}&limit=8`],
        ["series by namespace, 24h (5m)", `/api/v1/drops/series?from=${ago(24 * H)}&to=${to}&limit=8`],
        ["series by namespace, 7d (1h)", `/api/v1/drops/series?from=${ago(168 * H)}&to=${to}&limit=8`],
        ["series by namespace, 30d (1h)", `/api/v1/drops/series?from=${ago(720 * H)}&to=${to}&limit=8`],
        ["series by verdict, 24h", `/api/v1/drops/series?from=${ago(24 * H)}&to=${to}&groupBy=verdict`],
        ["series by verdict, previous 24h", `/api/v1/drops/series?from=${ago(48 * H)}&to=${ago(24 * H)}&groupBy=verdict`],
        ["series, one namespace, 7d", `/api/v1/drops/series?from=${ago(168 * H)}&to=${to}&namespace=ns-3&groupBy=verdict`],
        ["top paths, 1h", `/api/v1/drops/paths?from=${ago(H)}&to=${to}&limit=100`],
        ["top paths, 24h", `/api/v1/drops/paths?from=${ago(24 * H)}&to=${to}&limit=100`],
        ["top paths, 7d", `/api/v1/drops/paths?from=${ago(168 * H)}&to=${to}&limit=100`],
        ["top paths, 30d", `/api/v1/drops/paths?from=${ago(720 * H)}&to=${to}&limit=100`],
        ["events, newest 50, 24h", `/api/v1/drops/events?from=${ago(24 * H)}&to=${to}&limit=50`],
        ["events, one namespace, 7d", `/api/v1/drops/events?from=${ago(168 * H)}&to=${to}&limit=50&namespace=ns-11`],
        ["events, one path, 7d", `/api/v1/drops/events?from=${ago(168 * H)}&to=${to}&limit=50&path=${top?.id}&cluster=${top?.cluster}`],
        ["path timeline, 7d", `/api/v1/drops/series?from=${ago(168 * H)}&to=${to}&groupBy=verdict&path=${top?.id}&cluster=${top?.cluster}`],
        ["front page totals", `/`],
        ["rollout health: canary 6h, 2 namespaces", `/api/v1/rollouts/bench-canary/health`],
        ["rollout health: class, 2d, 24h baseline", `/api/v1/rollouts/bench-class/health`],
        ["rollout health: enforced everywhere 3d", `/api/v1/rollouts/bench-enforced/health`],
        ["rollout pre-flight: class, 24h", `/api/v1/rollouts/bench-class/preflight?classes=bench-tier&hours=24`],
        ["rollout markers, 7d", `/api/v1/rollouts/markers?from=${ago(168 * H)}&to=${to}`],
      ];
      console.log(`\n${EVENTS.toLocaleString("en-US")} events over ${DAYS} days; ${RUNS} runs each (after one warm-up)`);
      console.log(`${"call".padEnd(42)} ${"p50".padStart(8)} ${"p95".padStart(8)}`);
      let worst = 0;
      for (const [name, url] of calls) {
        await fetch(base + url).then((r) => r.text());
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          const response = await fetch(base + url);
          await response.text();
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        worst = Math.max(worst, percentile(times, 95));
        console.log(`${name.padEnd(42)} ${percentile(times, 50).toFixed(1).padStart(6)}ms ${percentile(times, 95).toFixed(1).padStart(6)}ms`);
      }
      console.log(`slowest p95: ${worst.toFixed(1)} ms`);
      const month = (await (await fetch(`${base}/api/v1/drops/series?from=${ago(31 * 24 * H)}&to=${new Date(end.getTime() + H).toISOString()}&step=1d`)).json()) as { total: number };
      const fiveMinutes = (await (await fetch(`${base}/api/v1/drops/series?from=${ago(31 * 24 * H)}&to=${new Date(end.getTime() + H).toISOString()}&step=1h`)).json()) as { total: number };
      console.log(`stored events ${EVENTS}; 31-day series total by day ${month.total}, by hour ${fiveMinutes.total}: ${month.total === EVENTS && fiveMinutes.total === EVENTS ? "exact" : "WRONG"}`);
    });
  } finally {
    await database.close();
  }
}

await ensureProductionBuild(process.env, log);
await overviewRenderTime();
await apiTimings();
