// What the ingest benchmarks share: the generated Hubble stream, COPY of the same rows as the
// floor to compare with, the production server on a fresh database, and CPU time read from /proc.
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { freePort } from "../../lib/db/embedded";
import { dropPathId } from "../../lib/ingest/keys";
import { toArrayLiteral } from "../../lib/ingest/rows";
import { hubbleFlow, type FlowSpec } from "../../lib/testing/hubbleFlows";
import { ensureProductionBuild } from "../lib/build";
import { NEXT_BIN, spawnNode } from "../lib/process";

export type HubbleRecord = ReturnType<typeof hubbleFlow>;

export const CLUSTERS = ["prod-eu", "prod-us", "staging"];
const NAMESPACES = ["payments", "checkout", "catalog", "search", "auth", "web", "batch", "reports", "ml", "kube-system", "monitoring", "ingress", "db", "cache", "queue"];
const WORKLOADS = ["api", "worker", "frontend", "postgres", "redis", "consumer", "exporter"];
const PORTS = [80, 443, 5432, 6379, 8080, 9090, 53];

/** A deterministic pseudo-random generator, so runs are comparable. */
export function rng(seed: number) {
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

export interface GenerateOptions {
  clusters?: readonly string[];
  /** The records' times span this much, ending a minute ago (10 minutes by default). */
  spanMs?: number;
  seed?: number;
}

/**
 * A live stream as `hubble observe --follow` ships it: time-ordered over the span, drawn from a few
 * hundred drop paths with a long tail (a few chronic paths carry most drops), 5% of the records
 * re-sent a little later, as a collector retrying a batch would.
 */
export function generate(total: number, options: GenerateOptions = {}): { unique: HubbleRecord[]; sent: HubbleRecord[] } {
  const random = rng(options.seed ?? 42);
  const clusters = options.clusters ?? CLUSTERS;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const paths: PathTemplate[] = Array.from({ length: 600 }, () => ({
    cluster: pick(clusters),
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
  const spanMs = options.spanMs ?? 10 * 60_000;
  const start = Date.now() - spanMs - 60_000;
  const unique = Array.from({ length: uniqueCount }, (_, i) => {
    const path = paths[Math.floor(paths.length * random() ** 3)] as PathTemplate;
    const spec: FlowSpec = {
      ...path,
      time: new Date(start + Math.floor((i / uniqueCount) * spanMs)),
      node: `worker-${Math.floor(random() * 6)}`,
      srcPort: 30000 + (i % 30000),
    };
    return hubbleFlow(spec);
  });
  const sent: HubbleRecord[] = [];
  for (let i = 0; i < uniqueCount; i++) {
    sent.push(unique[i] as HubbleRecord);
    if (random() < 0.05 && i > 2000) sent.push(unique[i - 1000 - Math.floor(random() * 1000)] as HubbleRecord);
  }
  return { unique, sent };
}

/** COPY of the same (unique) rows straight into drop_events, after emptying it: the floor for comparison. Rows per second. */
export async function timeCopy(databaseUrl: string, unique: readonly HubbleRecord[]): Promise<number> {
  return (await measureCopy(databaseUrl, unique, null)).rowsPerSecond;
}

/**
 * COPY of the rows, measured by the clock and by CPU: the backend's (PostgreSQL's process tree, when
 * `postmaster` is known) and this process's own (writing the rows). On a busy machine the clock
 * says what one connection got; the CPU says what a core does.
 */
export async function measureCopy(databaseUrl: string, unique: readonly HubbleRecord[], postmaster: number | null): Promise<{ rowsPerSecond: number; rowsPerCpuSecond: number | null }> {
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
  const ownBefore = process.cpuUsage();
  const dbBefore = postmaster === null ? 0 : treeCpuSeconds(postmaster);
  const stream = client.query(
    copyFrom(`COPY drop_events (time, cluster, key, node, verdict, direction, namespace, src_namespace, src_pod, src_workload, src_ip, src_port, src_identity, src_labels,
      dst_namespace, dst_pod, dst_workload, dst_ip, dst_port, dst_identity, dst_labels, protocol, icmp_type, reason, policies, count, source, drop_path_id) FROM STDIN`),
  );
  await pipeline(Readable.from(rows.map((row) => row + "\n")), stream);
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const cpu = postmaster === null ? null : treeCpuSeconds(postmaster) - dbBefore + (own.user + own.system) / 1e6;
  await client.end();
  return { rowsPerSecond: unique.length / seconds, rowsPerCpuSecond: cpu === null || cpu <= 0 ? null : unique.length / cpu };
}

export interface RunningServer {
  base: string;
  process: ChildProcess;
  stop(): void;
}

/** `next start` (production build) on the database DATABASE_URL names, answering health. */
export async function startServer(log: (line: string) => void, env: Record<string, string> = {}): Promise<RunningServer> {
  await ensureProductionBuild(process.env, log);
  const port = await freePort();
  const server = spawnNode(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], { ...process.env, ...env, NODE_ENV: "production" });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 200) throw new Error("server did not start");
    const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, process: server, stop: () => server.kill("SIGTERM") };
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc (Linux): a process tree's user + system seconds, its reaped children's included.

const CLOCK_TICKS = 100;

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** utime + stime + cutime + cstime of one process, in seconds (0 when it is gone). */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14..17 of the whole line: 11..14 counted from the state (field 3).
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and every live descendant (and what its exited children used, once reaped). */
export function treeCpuSeconds(pid: number): number {
  return processCpu(pid) + childrenOf(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

/** The PostgreSQL postmaster listening on `port` on this machine (an embedded server), or null. */
export function findPostmaster(port: number): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!/(^|\/)postgres$/.test(argv[0] ?? "")) continue;
      const at = argv.indexOf("-p");
      if (at !== -1 && argv[at + 1] === String(port)) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}
