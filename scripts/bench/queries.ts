// `npm run bench:queries [-- --events 10000000]`: how fast the dashboard answers.
//  1. On the demo data: time from navigation to the overview fully drawn (stats, chart, tables)
//     in Chromium, with where the time goes (overviewRender.ts).
//  2. On N stored events (default 10 million over 30 days, 2 clusters, 15 namespaces, 2,000 drop
//     paths with a long tail; `--profile high-cardinality` adds a port scan: 1M distinct paths in
//     30 days, 100k in the last 24 h; `--profile audit-scan`: the same scan seen in audit mode),
//     bulk-generated in SQL in the shape ingest writes
//     (queryData.ts): p50/p95 of every API call the dashboard makes, over HTTP against the
//     production server. `--skip-render` skips part 1.
import { parseArgs } from "node:util";
import { migrate } from "../../lib/db/migrate";
import { countEveryPath, getTopDropPaths } from "../../lib/queries/drops/getTopDropPaths";
import { chartStep } from "../../lib/queries/timeRange";
import { ensureProductionBuild } from "../lib/build";
import { scratchDatabase } from "../lib/database";
import { usingDatabase, withServer } from "./benchServer";
import { percentile } from "./percentile";
import { overviewRenderTime } from "./overviewRender";
import { addBenchRollouts, BENCH_DAYS, loadBenchData, PROFILES, type BenchProfile } from "./queryData";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" },
    runs: { type: "string", default: "30" },
    profile: { type: "string", default: "steady" },
    "skip-render": { type: "boolean", default: false },
    /** Leave the generated database in place (with DATABASE_URL set: a database on that server), for EXPLAIN. */
    keep: { type: "boolean", default: false },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const PROFILE = values.profile as BenchProfile;
if (!PROFILES.includes(PROFILE)) throw new Error(`--profile: one of ${PROFILES.join(", ")}`);
const DAYS = BENCH_DAYS;
const log = (line: string) => console.log(`[bench] ${line}`);

/** Why a timed call failed, as far as the bench can tell. */
const response503Note = (failure: string) => (failure === "HTTP 503" ? "the read timeout, DROPBOARD_READ_TIMEOUT_MS" : "see the server's log");

/**
 * The reference: top paths by counting every path of the range (the read before paths were read in
 * order of their totals), in-process beside the read the API makes, with both answers compared.
 */
async function referenceReads(url: string, end: Date): Promise<void> {
  // Counting every path of 30 days takes 5-10 s on a 2-core machine: past the API's read timeout,
  // which bounds the dashboard's reads, not this reference.
  process.env.DROPBOARD_READ_TIMEOUT_MS ??= "120000";
  await usingDatabase(url, async () => {
    console.log(`\n${"top 100 paths, in-process".padEnd(42)} ${"in order".padStart(8)} ${"all paths".padStart(10)}  same answer`);
    for (const hours of [1, 24, 168, 720]) {
      const query = { from: new Date(end.getTime() - hours * 3_600_000), to: end, limit: 100 };
      const timed = async (read: () => Promise<unknown>) => {
        const times: number[] = [];
        let answer: unknown;
        for (let i = 0; i < 6; i++) {
          const started = performance.now();
          answer = await read();
          if (i > 0) times.push(performance.now() - started);
        }
        return { answer, p50: percentile(times.sort((a, b) => a - b), 50) };
      };
      const ordered = await timed(() => getTopDropPaths(query));
      const every = await timed(() => countEveryPath(query));
      const same = JSON.stringify(ordered.answer) === JSON.stringify(every.answer);
      console.log(`${`last ${hours} h`.padEnd(42)} ${ordered.p50.toFixed(1).padStart(6)}ms ${every.p50.toFixed(1).padStart(8)}ms  ${same ? "yes" : "NO"}`);
    }
  });
}

async function apiTimings(): Promise<void> {
  const database = await scratchDatabase({ label: "bench_queries", unsafeFast: true });
  try {
    await migrate(database.url);
    const end = new Date();
    await loadBenchData(database.url, PROFILE, EVENTS, end, log);
    // At 1M paths re-judging the bench's rollouts (every 30 s) holds the database for seconds at a
    // time, which every timed call would wait on: off, so each call is timed alone (README).
    const serverEnv: Record<string, string> = PROFILE !== "steady" ? { DROPBOARD_ROLLOUT_EVALUATOR: "off" } : {};
    await withServer(database, async (base) => {
      const ago = (ms: number) => new Date(end.getTime() - ms).toISOString();
      const H = 3_600_000;
      const to = end.toISOString();
      const path = (await (await fetch(`${base}/api/v1/drops/paths?from=${ago(24 * H)}&to=${to}&limit=1`)).json()) as { paths: { id: string; cluster: string }[] };
      const top = path.paths[0];
      await addBenchRollouts(database.url, end);
      const calls: [string, string][] = [
        // The chart's step, as the dashboard asks (about 100 buckets: lib/queries/timeRange.ts chartStep).
        ...[1, 24, 168, 720].map((hours): [string, string] => {
          const step = chartStep({ from: new Date(ago(hours * H)), to: end });
          return [`series by namespace, ${hours < 24 ? `${hours}h` : `${hours / 24}d`} (${step})`, `/api/v1/drops/series?from=${ago(hours * H)}&to=${to}&limit=8&step=${step}`];
        }),
        ["series by namespace, 30d (1h, the API's default)", `/api/v1/drops/series?from=${ago(720 * H)}&to=${to}&limit=8`],
        ["series by verdict, 24h", `/api/v1/drops/series?from=${ago(24 * H)}&to=${to}&groupBy=verdict`],
        ["series by verdict, previous 24h", `/api/v1/drops/series?from=${ago(48 * H)}&to=${ago(24 * H)}&groupBy=verdict`],
        ["series, one namespace, 7d", `/api/v1/drops/series?from=${ago(168 * H)}&to=${to}&namespace=ns-3&groupBy=verdict`],
        ["reason totals, 24h (overview)", `/api/v1/drops/series?from=${ago(24 * H)}&to=${to}&groupBy=reason&limit=50&totals=true`],
        ["cluster totals, 24h (overview)", `/api/v1/drops/series?from=${ago(24 * H)}&to=${to}&groupBy=cluster&limit=50&totals=true`],
        ["still audited, 24h", `/api/v1/drops/still-audited?from=${ago(24 * H)}&to=${to}`],
        ["top paths, 1h", `/api/v1/drops/paths?from=${ago(H)}&to=${to}&limit=100`],
        ["top paths, 24h", `/api/v1/drops/paths?from=${ago(24 * H)}&to=${to}&limit=100`],
        ["top paths, 7d", `/api/v1/drops/paths?from=${ago(168 * H)}&to=${to}&limit=100`],
        ["top paths, 30d", `/api/v1/drops/paths?from=${ago(720 * H)}&to=${to}&limit=100`],
        ["top paths, one namespace, 24h", `/api/v1/drops/paths?from=${ago(24 * H)}&to=${to}&limit=200&namespace=ns-3`],
        ["top paths, one namespace, 7d", `/api/v1/drops/paths?from=${ago(168 * H)}&to=${to}&limit=200&namespace=ns-3`],
        ["top policies, 24h", `/api/v1/drops/policies?from=${ago(24 * H)}&to=${to}&limit=10`],
        ["top policies, 7d", `/api/v1/drops/policies?from=${ago(168 * H)}&to=${to}&limit=10`],
        ["top policies, 30d", `/api/v1/drops/policies?from=${ago(720 * H)}&to=${to}&limit=10`],
        ["clusters", `/api/v1/clusters`],
        ["events, newest 50, 24h", `/api/v1/drops/events?from=${ago(24 * H)}&to=${to}&limit=50`],
        ["events, one namespace, 7d", `/api/v1/drops/events?from=${ago(168 * H)}&to=${to}&limit=50&namespace=ns-11`],
        ["events, one path, 7d", `/api/v1/drops/events?from=${ago(168 * H)}&to=${to}&limit=50&path=${top?.id}&cluster=${top?.cluster}`],
        ["path timeline, 7d", `/api/v1/drops/series?from=${ago(168 * H)}&to=${to}&groupBy=verdict&path=${top?.id}&cluster=${top?.cluster}`],
        ["overview page (server render, 24h)", `/`],
        ["rollout health: canary 6h, 2 namespaces", `/api/v1/rollouts/bench-canary/health`],
        ["rollout health: class, 2d, 24h baseline", `/api/v1/rollouts/bench-class/health`],
        ["rollout health: enforced everywhere 3d", `/api/v1/rollouts/bench-enforced/health`],
        ["rollout pre-flight: class, 24h", `/api/v1/rollouts/bench-class/preflight?classes=bench-tier&hours=24`],
        ["rollout markers, 7d", `/api/v1/rollouts/markers?from=${ago(168 * H)}&to=${to}`],
      ];
      console.log(`\n${PROFILE} profile: ${EVENTS.toLocaleString("en-US")} events over ${DAYS} days; ${RUNS} runs each (after one warm-up)`);
      // "first": the warm-up call, before anything the server keeps (rollout health keeps a stage's finished hours).
      console.log(`${"call".padEnd(42)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"first".padStart(8)}`);
      let worst = 0;
      let failed: string | null = null;
      for (const [name, url] of calls) {
        const warmUp = performance.now();
        await fetch(base + url).then((r) => r.text());
        const first = performance.now() - warmUp;
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          const response = await fetch(base + url);
          await response.text();
          if (!response.ok) {
            failed = `HTTP ${response.status}`;
            break;
          }
          times.push(performance.now() - started);
        }
        if (failed) {
          console.log(`${name.padEnd(42)} ${failed} (${response503Note(failed)})`);
          failed = null;
          continue;
        }
        times.sort((a, b) => a - b);
        worst = Math.max(worst, percentile(times, 95));
        console.log(`${name.padEnd(42)} ${percentile(times, 50).toFixed(1).padStart(6)}ms ${percentile(times, 95).toFixed(1).padStart(6)}ms ${first.toFixed(1).padStart(6)}ms`);
      }
      console.log(`slowest p95: ${worst.toFixed(1)} ms`);
      const month = (await (await fetch(`${base}/api/v1/drops/series?from=${ago(31 * 24 * H)}&to=${new Date(end.getTime() + H).toISOString()}&step=1d`)).json()) as { total: number };
      const fiveMinutes = (await (await fetch(`${base}/api/v1/drops/series?from=${ago(31 * 24 * H)}&to=${new Date(end.getTime() + H).toISOString()}&step=1h`)).json()) as { total: number };
      await referenceReads(database.url, end);
      console.log(`stored events ${EVENTS}; 31-day series total by day ${month.total}, by hour ${fiveMinutes.total}: ${month.total === EVENTS && fiveMinutes.total === EVENTS ? "exact" : "WRONG"}`);
    }, serverEnv);
  } finally {
    if (values.keep) log(`kept: ${database.description}`);
    else await database.close();
  }
}

await ensureProductionBuild(process.env, log);
if (!values["skip-render"]) await overviewRenderTime();
await apiTimings();
