// The collector's (agent's) metrics, served on `--metrics-port` (README, "Metrics"). Everything is
// read at scrape time: the counters from the run's own stats, the spool from its directory (file
// names carry each batch's record count; the oldest file's age is the delivery lag), and a native
// source's position from the cursor it saves there. So the collector's code needs no hooks, and a
// scrape costs one readdir and a stat.
import { readdir, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { Counter, Gauge, type Registry } from "prom-client";
import { loadCursor } from "../collector/native/cursor";
import type { CollectorStats } from "../collector/state";
import { metricsRegistry } from "./registry";

/** The spool's batch files (lib/collector/spool.ts): "<seq>[-<part>].r<records>[.txt|.agg].gz". */
const SPOOL_ENTRY = /^(\d{16}(?:-\d+)*)\.r(\d+)(\.txt|\.agg)?\.gz$/;

export interface AgentMetricsSource {
  stats: CollectorStats;
  spoolDir: string;
  spoolMaxBytes: number;
  /** "hubble-relay" or "goldmane" when the collector reads a CNI's API (its cursor is in the spool). */
  native: string | null;
}

export interface SpoolFigures {
  batches: number;
  records: number;
  bytes: number;
  /** Seconds the oldest batch has waited; 0 when the spool is empty. */
  oldestAgeSeconds: number;
}

/** What is waiting in a spool directory now. */
export async function readSpool(dir: string, now = Date.now()): Promise<SpoolFigures> {
  const figures: SpoolFigures = { batches: 0, records: 0, bytes: 0, oldestAgeSeconds: 0 };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => SPOOL_ENTRY.test(name)).sort();
  } catch {
    return figures;
  }
  let oldest: number | null = null;
  for (const name of names) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (!info) continue; // sent and removed while we looked
    figures.batches++;
    figures.records += Number(SPOOL_ENTRY.exec(name)?.[2] ?? 0);
    figures.bytes += info.size;
    oldest ??= info.mtimeMs;
  }
  if (oldest !== null) figures.oldestAgeSeconds = Math.max(0, (now - oldest) / 1000);
  return figures;
}

/** A counter whose value is read from the stats at scrape time. */
function statCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** Registers the agent's metrics for one collector run, in `registry` (the process's by default). */
export function registerAgentMetrics(source: AgentMetricsSource, registry: Registry = metricsRegistry()): void {
  const s = source.stats;
  statCounter(registry, "dropboard_agent_records_read_total", "Records read from the input (stdin, the followed file, or Hubble Relay or Goldmane).", () => s.read);
  statCounter(registry, "dropboard_agent_records_sent_total", "Records in batches the server answered for (accepted, duplicate, ignored or rejected by it).", () => s.sent);
  statCounter(registry, "dropboard_agent_records_accepted_total", "Records the server stored.", () => s.accepted);
  statCounter(registry, "dropboard_agent_records_rejected_total", "Records rejected: by the server, by this collector's own parsing (with --aggregate), or in batches the server refused whole.", () => s.rejected + s.refused);
  statCounter(registry, "dropboard_agent_records_dropped_total", "Records dropped from a full spool (--spool-max) because the server was unreachable too long.", () => s.dropped);
  statCounter(registry, "dropboard_agent_retries_total", "Sends retried (network errors, timeouts, 5xx, 429).", () => s.retries);

  let spool: Promise<SpoolFigures> | null = null;
  // One readdir per scrape, shared by the gauges below (each collect() asks; the first reads).
  const figures = () => {
    spool ??= readSpool(source.spoolDir).finally(() => setTimeout(() => (spool = null), 0));
    return spool;
  };
  const spoolGauge = (name: string, help: string, read: (f: SpoolFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await figures()));
      },
    });
  spoolGauge("dropboard_agent_spooled_records", "Records in batches waiting in the spool to be sent.", (f) => f.records);
  spoolGauge("dropboard_agent_spooled_batches", "Batches waiting in the spool.", (f) => f.batches);
  spoolGauge("dropboard_agent_spool_bytes", "Bytes the spool holds (gzipped batches).", (f) => f.bytes);
  spoolGauge("dropboard_agent_lag_seconds", "How long the oldest batch in the spool has waited to be sent (0 when the spool is empty): how far delivery is behind reading.", (f) => f.oldestAgeSeconds);
  new Gauge({
    name: "dropboard_agent_spool_max_bytes",
    help: "The spool's bound (--spool-max): past it the oldest batches are dropped.",
    registers: [registry],
  }).set(source.spoolMaxBytes);
  if (source.native !== null) {
    const kind = source.native;
    new Gauge({
      name: "dropboard_agent_source_position_timestamp_seconds",
      help: "Time of the newest record read from Hubble Relay or Goldmane and spooled (its saved cursor), as a Unix time: now minus this is the source lag. Absent until the first record.",
      labelNames: ["source"],
      registers: [registry],
      async collect() {
        const at = await loadCursor(source.spoolDir, kind);
        this.reset();
        if (at !== null) this.set({ source: kind }, at / 1000);
      },
    });
  }
}

export class MetricsPortError extends Error {}

/** The flag's line in `dropboard help`, below COLLECT_USAGE. */
export const AGENT_METRICS_USAGE = `      --metrics-port PORT  serve Prometheus metrics on :PORT/metrics (read, sent, spooled, dropped,
                           retries, lag; README "Metrics")`;

/** Takes `--metrics-port PORT` (or `--metrics-port=PORT`) out of the collect arguments; the rest go to parseCollectArgs. */
export function takeMetricsPort(args: readonly string[]): { port: number | null; rest: string[] } {
  const rest: string[] = [];
  let port: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    let value: string | undefined;
    if (arg === "--metrics-port") value = args[++i];
    else if (arg.startsWith("--metrics-port=")) value = arg.slice("--metrics-port=".length);
    else {
      rest.push(arg);
      continue;
    }
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 1 || n > 65535) {
      throw new MetricsPortError(`--metrics-port: "${value ?? ""}" is not a TCP port (1..65535)`);
    }
    port = n;
  }
  return { port, rest };
}

/** Serves GET /metrics (and /healthz) on `port`, every interface (IPv4 only where IPv6 is off). Resolves once listening. */
export async function serveMetrics(port: number, registry: Registry = metricsRegistry()): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://agent");
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === "/healthz") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (url.pathname !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { "content-type": registry.contentType }).end(request.method === "HEAD" ? undefined : body),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  // The collector's own work decides when it exits: never keep it alive for the metrics alone.
  server.unref();
  const listen = (host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await listen("::");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EAFNOSUPPORT" && code !== "EADDRNOTAVAIL") throw error;
    await listen("0.0.0.0");
  }
  return server;
}
