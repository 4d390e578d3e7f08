// The data bench:queries reads, bulk-generated in SQL in the shape ingest and the compactor write
// (events, namespace, per-path and per-policy rollups, drop paths with their compacted totals).
//  - steady: N events over 30 days on 2,000 drop paths with a long tail.
//  - high-cardinality: the same steady traffic plus a port scan / fresh default-deny: 998,000 more
//    paths of one drop each, 98,000 of them in the last 24 h (so 1M distinct paths in 30 days,
//    100k in the last 24 h), half of them named by a policy, as Calico names its default deny.
//  - audit-scan: the same scan seen by a policy in audit mode (AUDIT, not DROPPED): what a rollout's
//    AUDIT reads (pre-flight, health's predictions) meet when a scan runs during an audit stage.
import pg from "pg";

export const BENCH_DAYS = 30;
export const PROFILES = ["steady", "high-cardinality", "audit-scan"] as const;
export type BenchProfile = (typeof PROFILES)[number];

const STEADY_PATHS = 2_000;
const SCAN_PATHS = 998_000;
const SCAN_PATHS_LAST_DAY = 98_000;

/** $1 paths; $2 the scan's verdict. */
const GENERATE_PATHS = `
CREATE TABLE bench_paths AS
SELECT n,
  (ARRAY['bench-eu', 'bench-us'])[1 + n % 2] AS cluster,
  (CASE WHEN n >= ${STEADY_PATHS} OR n % 10 < 7 THEN 'INGRESS' ELSE 'EGRESS' END)::"TrafficDirection" AS direction,
  'ns-' || (n % 15) AS src_namespace,
  CASE WHEN n < ${STEADY_PATHS} THEN 'Deployment/w' || (n % 23) ELSE 'Deployment/scanner' END AS src_workload,
  'ns-' || ((n / 15) % 15) AS dst_namespace,
  CASE WHEN n < ${STEADY_PATHS} THEN 'Deployment/v' || (n % 17) ELSE 'Deployment/v' || (n / 65535 % 17) END AS dst_workload,
  CASE WHEN n < ${STEADY_PATHS} THEN (ARRAY[80, 443, 5432, 6379, 8080, 9090, 53])[1 + n % 7] ELSE 1 + n % 65535 END AS dst_port,
  CASE WHEN n < ${STEADY_PATHS} AND n % 7 = 6 THEN 'UDP' ELSE 'TCP' END AS protocol,
  (CASE WHEN n >= ${STEADY_PATHS} THEN '$2' WHEN n % 6 = 0 THEN 'AUDIT' ELSE 'DROPPED' END)::"Verdict" AS verdict,
  CASE WHEN n % 9 = 0 THEN 'POLICY_DENY' ELSE 'POLICY_DENIED' END AS reason,
  CASE WHEN n < ${STEADY_PATHS} AND n % 5 = 0 THEN ARRAY['ns-' || ((n / 15) % 15) || '/allow-known-' || (n % 11)]
       WHEN n >= ${STEADY_PATHS} AND n % 2 = 0 THEN ARRAY['default.default-deny']
       ELSE '{}'::text[] END AS policies,
  (1000000 + n)::bigint AS id
FROM generate_series(0, $1::int - 1) n;
ALTER TABLE bench_paths ADD COLUMN namespace text;
UPDATE bench_paths SET namespace = CASE WHEN direction = 'EGRESS' THEN src_namespace ELSE dst_namespace END;
CREATE UNIQUE INDEX ON bench_paths (n);`;

const EVENT_COLUMNS = `time, cluster, key, node, verdict, direction, namespace, src_namespace, src_pod, src_workload, src_ip,
  src_port, src_labels, dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_labels, protocol, reason, policies, count, source, drop_path_id`;

/** $1 start, $2 first ordinal, $3 events in all, $4 events in this chunk: skewed over the steady paths. */
const GENERATE_STEADY_EVENTS = `
INSERT INTO drop_events (${EVENT_COLUMNS})
SELECT $1::timestamptz + (x.g::float8 / $3) * interval '${BENCH_DAYS} days', p.cluster, 'bench:' || x.g, 'worker-' || (x.g % 8), p.verdict, p.direction,
  p.namespace, p.src_namespace, 'pod-' || (x.g % 97), p.src_workload, '10.0.1.' || (x.g % 250), 30000 + x.g % 30000, '{k8s:app=bench}',
  p.dst_namespace, 'pod-' || (x.g % 89), p.dst_workload, '10.0.2.' || (x.g % 250), p.dst_port, '{k8s:app=bench}', p.protocol, p.reason, p.policies, 1, 'hubble', p.id
FROM (SELECT g, floor(${STEADY_PATHS} * random() ^ 3)::int AS pick FROM generate_series($2::bigint, $2::bigint + $4 - 1) g OFFSET 0) x
JOIN bench_paths p ON p.n = x.pick`;

/** $1 start, $2 end, $3 first path, $4 last path (exclusive): one drop per scan path. */
const GENERATE_SCAN_EVENTS = `
INSERT INTO drop_events (${EVENT_COLUMNS})
SELECT CASE WHEN p.n < ${STEADY_PATHS + SCAN_PATHS_LAST_DAY}
         THEN $2::timestamptz - ((p.n::bigint * 7919) % 86399 + 1) * interval '1 second'
         ELSE $1::timestamptz + ((p.n::bigint * 104729) % ((${BENCH_DAYS} - 1) * 86400)) * interval '1 second' END,
  p.cluster, 'scan:' || p.n, 'worker-' || (p.n % 8), p.verdict, p.direction, p.namespace, p.src_namespace, 'pod-' || (p.n % 97),
  p.src_workload, '10.0.3.' || (p.n % 250), 40000 + p.n % 20000, '{k8s:app=scanner}', p.dst_namespace, 'pod-' || (p.n % 89), p.dst_workload,
  '10.0.2.' || (p.n % 250), p.dst_port, '{k8s:app=bench}', p.protocol, p.reason, p.policies, 1, 'calico', p.id
FROM bench_paths p WHERE p.n >= $3 AND p.n < $4`;

// In time order, as the compactor appends them (and ingest adds paths as they first appear): rows of
// one minute sit together on disk, so a range read touches the pages production's would.
const BUILD_ROLLUPS = [
  `INSERT INTO drop_rollup_minute SELECT date_trunc('minute', time), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_events GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`,
  `INSERT INTO drop_rollup_5m SELECT date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_minute GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`,
  `INSERT INTO drop_rollup_hour SELECT date_trunc('hour', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_minute GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`,
  `INSERT INTO drop_rollup_day SELECT date_trunc('day', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, sum(count) FROM drop_rollup_hour GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`,
  `INSERT INTO drop_path_minute SELECT date_trunc('minute', time), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`,
  `INSERT INTO drop_path_hour SELECT date_trunc('hour', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_path_minute GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`,
  `INSERT INTO drop_path_day SELECT date_trunc('day', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, sum(count) FROM drop_path_hour GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`,
  ...["hour", "day"].map(
    (granularity) => `INSERT INTO drop_path_${granularity}_total SELECT r.bucket, r.cluster, r.drop_path_id, p.namespace, sum(r.count)
     FROM drop_path_${granularity} r JOIN bench_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id GROUP BY 1, 2, 3, 4 ORDER BY 1`,
  ),
  // As ingest writes them: first and last seen, policies, reasons; the total is what compaction folded in.
  `INSERT INTO drop_paths (cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port, protocol,
     first_seen, last_seen, policies, reasons, total, policies_credited)
   SELECT p.cluster, p.id, p.namespace, p.direction, p.src_namespace, p.src_workload, p.dst_namespace, p.dst_workload, p.dst_port, p.protocol,
     s.first, s.last, p.policies, ARRAY[p.reason], s.total, p.policies
   FROM bench_paths p JOIN (SELECT cluster, drop_path_id, min(time) AS first, max(time) AS last, sum(count) AS total FROM drop_events GROUP BY 1, 2) s
     ON s.cluster = p.cluster AND s.drop_path_id = p.id ORDER BY s.first`,
  ...["minute", "hour", "day"].map(
    (granularity) => `INSERT INTO drop_policy_${granularity} SELECT r.bucket, r.cluster, policy, r.verdict, r.reason, sum(r.count)
     FROM drop_path_${granularity} r JOIN bench_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id CROSS JOIN LATERAL unnest(p.policies) AS policy
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`,
  ),
];

/** Generates the profile's events ending at `end`, then its rollups and paths; logs progress. */
export async function loadBenchData(url: string, profile: BenchProfile, events: number, end: Date, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
    const start = new Date(end.getTime() - BENCH_DAYS * 86_400_000);
    const days: string[] = [];
    for (let t = start.getTime() - 86_400_000; t <= end.getTime() + 86_400_000; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
    await client.query("SELECT dropboard_ensure_day_partitions($1::date[])", [days]);
    const scan = profile !== "steady";
    await client.query(GENERATE_PATHS.replace("$1::int", String(scan ? STEADY_PATHS + SCAN_PATHS : STEADY_PATHS)).replace("'$2'", profile === "audit-scan" ? "'AUDIT'" : "'DROPPED'"));
    const steadyEvents = scan ? events - SCAN_PATHS : events;
    if (steadyEvents <= 0) throw new Error(`the ${profile} profile needs more than ${SCAN_PATHS.toLocaleString("en-US")} events`);
    const chunk = 1_000_000;
    for (let first = 0; first < steadyEvents; first += chunk) {
      await client.query(GENERATE_STEADY_EVENTS, [start, first, steadyEvents, Math.min(chunk, steadyEvents - first)]);
      log(`events: ${Math.min(first + chunk, steadyEvents).toLocaleString("en-US")} (${elapsed()})`);
    }
    for (let first = STEADY_PATHS; scan && first < STEADY_PATHS + SCAN_PATHS; first += chunk) {
      await client.query(GENERATE_SCAN_EVENTS, [start, end, first, Math.min(first + chunk, STEADY_PATHS + SCAN_PATHS)]);
      log(`scan events: ${(Math.min(first + chunk, STEADY_PATHS + SCAN_PATHS) - STEADY_PATHS).toLocaleString("en-US")} (${elapsed()})`);
    }
    for (const sql of BUILD_ROLLUPS) await client.query(sql);
    await client.query("VACUUM ANALYZE");
    const sizes = await client.query<{ table: string; rows: string }>(
      `SELECT relname AS table, n_live_tup::text AS rows FROM pg_stat_user_tables WHERE relname LIKE 'drop_rollup%' OR relname LIKE 'drop_path%' ORDER BY relname`,
    );
    log(`loaded in ${elapsed()}; rows (estimated): ${sizes.rows.map((r) => `${r.table} ${r.rows}`).join(", ")}`);
  } finally {
    await client.end();
  }
}

/** Rollouts over the generated data, as a release manager would poll them (health every 30 s). */
export async function addBenchRollouts(url: string, end: Date): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ago = (hours: number) => new Date(end.getTime() - hours * 3_600_000);
  // Ingest records each cluster's check-ins; health reads its baseline from the first one on.
  await client.query(
    `INSERT INTO cluster_checkins (cluster, first_seen_at, last_seen_at)
     SELECT cluster, min(first_seen), $1::timestamptz FROM drop_paths GROUP BY cluster
     ON CONFLICT (cluster) DO UPDATE SET first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at`,
    [end],
  );
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
