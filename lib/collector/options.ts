// `dropboard collect` options: parsed and checked up front, so a bad flag fails at start with a
// message that names it rather than after hours of running.
import path from "node:path";
import { parseArgs } from "node:util";

export interface CollectorOptions {
  /** The ingest endpoint, e.g. http://dropboard:3000/api/v1/ingest. */
  ingestUrl: URL;
  /** Beside it: http://dropboard:3000/api/v1/heartbeat. */
  heartbeatUrl: URL;
  /** Check in this often when nothing else was sent (liveness); null: never. */
  heartbeatMs: number | null;
  /** The cluster named in heartbeats (needed when the token is bound to none). */
  cluster: string | null;
  token: string;
  /** Follow this file (surviving rotation); null reads stdin. */
  file: string | null;
  /** With --file: start at the beginning rather than the end (like tail -f) on first run. */
  fromStart: boolean;
  /** Records per batch, at most. */
  batchRecords: number;
  /** A partial batch is sent after this long. */
  flushMs: number;
  spoolDir: string;
  spoolMaxBytes: number;
  progressMs: number;
  /** On end of input: how long to keep trying to send what is spooled before exiting. */
  drainTimeoutMs: number;
  /** Backoff bounds for retries. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  /** Content type sent; text/plain when the input is text lines (Antrea np.log). */
  format: string;
}

export class ConfigError extends Error {}

/** As `token create --cluster` checks it. */
const CLUSTER_NAME = /^[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?$/i;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "2s", "500ms", "1m", "1.5h"; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new ConfigError(`${flag}: "${text}" is not a duration (e.g. 500ms, 2s, 1m)`);
  return Math.round(Number(match[1]) * (UNITS_MS[match[2] ?? "s"] ?? 1000));
}

const UNITS_BYTES: Record<string, number> = {
  b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, ki: 1024, kib: 1024, mi: 1024 ** 2, mib: 1024 ** 2, gi: 1024 ** 3, gib: 1024 ** 3,
};

/** "1GiB", "512MiB", "100MB", "4096"; a bare number is bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS_BYTES[(match?.[2] || "b").toLowerCase()];
  if (!match || unit === undefined) throw new ConfigError(`${flag}: "${text}" is not a size (e.g. 1GiB, 512MiB, 100MB)`);
  return Math.floor(Number(match[1]) * unit);
}

function positiveInt(text: string, flag: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(`${flag}: "${text}" is not a whole number in 1..${max}`);
  return value;
}

export const COLLECT_USAGE = `collect --server URL --token TOKEN [--file PATH] [options]
      ships drop records (Hubble/Calico/netobserv JSON, Antrea np.log text) from stdin or a file.
      --server URL         Dropboard's address (http://host:3000) or its ingest URL
      --token TOKEN        an ingest token (or DROPBOARD_TOKEN)
      --file PATH          follow a file, surviving rotation (default: read stdin)
      --from-start         with --file on first run: read the file from its beginning, not its end
      --batch N            records per request (default 1000)
      --flush DURATION     send a partial batch after this long (default 2s)
      --spool-dir DIR      on-disk spool for unsent batches (default .dropboard/spool)
      --spool-max SIZE     spool bound; past it the oldest batches are dropped, loudly (default 1GiB)
      --progress DURATION  log progress this often (default 10s)
      --drain-timeout DURATION  at end of input, keep trying to send the spool this long (default 5m)
      --heartbeat DURATION|off  check in this often when nothing else was sent (default 30s)
      --cluster NAME       the cluster named in heartbeats (needed with a token bound to no cluster)
      --retry-base DURATION, --retry-max DURATION  retry backoff bounds (default 500ms, 30s)
      --timeout DURATION   per request (default 30s)
      --format NAME        force a source format (default auto)`;

export function parseCollectArgs(args: string[], env: Record<string, string | undefined> = process.env): CollectorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        server: { type: "string" },
        token: { type: "string" },
        file: { type: "string" },
        "from-start": { type: "boolean" },
        batch: { type: "string" },
        flush: { type: "string" },
        "spool-dir": { type: "string" },
        "spool-max": { type: "string" },
        progress: { type: "string" },
        "drain-timeout": { type: "string" },
        "retry-base": { type: "string" },
        "retry-max": { type: "string" },
        timeout: { type: "string" },
        format: { type: "string" },
        heartbeat: { type: "string" },
        cluster: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const server = values.server ?? env.DROPBOARD_SERVER;
  if (!server) throw new ConfigError("--server is required (Dropboard's address, e.g. http://dropboard:3000)");
  let ingestUrl: URL;
  try {
    ingestUrl = new URL(server);
  } catch {
    throw new ConfigError(`--server: "${server}" is not a URL (e.g. http://dropboard:3000)`);
  }
  if (ingestUrl.protocol !== "http:" && ingestUrl.protocol !== "https:") throw new ConfigError(`--server: ${ingestUrl.protocol} is not http: or https:`);
  if (!ingestUrl.pathname.endsWith("/api/v1/ingest")) ingestUrl = new URL(`${ingestUrl.pathname.replace(/\/+$/, "")}/api/v1/ingest${ingestUrl.search}`, ingestUrl);
  const token = values.token ?? env.DROPBOARD_TOKEN;
  if (!token) throw new ConfigError("--token is required (create one with: npm run dropboard -- token create --scope ingest)");
  const format = values.format ?? "auto";
  if (!/^[a-z]+$/.test(format)) throw new ConfigError(`--format: "${format}" is not a format name`);
  const retryBaseMs = parseDuration(values["retry-base"] ?? "500ms", "--retry-base");
  const retryMaxMs = parseDuration(values["retry-max"] ?? "30s", "--retry-max");
  if (retryMaxMs < retryBaseMs) throw new ConfigError("--retry-max must not be below --retry-base");
  const heartbeat = values.heartbeat ?? "30s";
  const heartbeatMs = heartbeat === "off" ? null : parseDuration(heartbeat, "--heartbeat");
  if (heartbeatMs !== null && (heartbeatMs < 100 || heartbeatMs > 240_000)) {
    throw new ConfigError(`--heartbeat: "${heartbeat}" must be between 100ms and 4m (the server judges a cluster silent after 5m), or off`);
  }
  const cluster = values.cluster?.trim() || null;
  if (cluster !== null && !CLUSTER_NAME.test(cluster)) throw new ConfigError(`--cluster: "${cluster}" is not a cluster name (letters, digits, '.', '_', '-')`);
  return {
    ingestUrl,
    heartbeatUrl: new URL(`${ingestUrl.pathname.replace(/\/api\/v1\/ingest$/, "")}/api/v1/heartbeat`, ingestUrl),
    heartbeatMs,
    cluster,
    token,
    file: values.file ? path.resolve(values.file) : null,
    fromStart: values["from-start"] ?? false,
    batchRecords: positiveInt(values.batch ?? "1000", "--batch", 100_000),
    flushMs: parseDuration(values.flush ?? "2s", "--flush"),
    spoolDir: path.resolve(values["spool-dir"] ?? path.join(".dropboard", "spool")),
    spoolMaxBytes: parseSize(values["spool-max"] ?? "1GiB", "--spool-max"),
    progressMs: parseDuration(values.progress ?? "10s", "--progress"),
    drainTimeoutMs: parseDuration(values["drain-timeout"] ?? "5m", "--drain-timeout"),
    retryBaseMs,
    retryMaxMs,
    requestTimeoutMs: parseDuration(values.timeout ?? "30s", "--timeout"),
    format,
  };
}
