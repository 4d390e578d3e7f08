// `dropboard collect` options: parsed and checked up front, so a bad flag fails at start with a
// message that names it rather than after hours of running.
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AGGREGATE_LIMITS } from "../ingest/aggregateFormat";
import { SOURCE_FORMAT_NAMES } from "../ingest/formats";

/** PEM files for TLS to a native source; null fields are left to the defaults (system roots, no client certificate). */
export interface TlsFiles {
  ca: string | null;
  cert: string | null;
  key: string | null;
  /** The name the server's certificate is checked against, when it is not the address's host. */
  serverName: string | null;
}

/** A CNI's own API, read instead of stdin or a file. */
export interface NativeSource {
  kind: "hubble-relay" | "goldmane";
  /** host:port */
  address: string;
  /** null: plaintext. */
  tls: TlsFiles | null;
}

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
  /** Follow this file (surviving rotation); null reads stdin (or `native`). */
  file: string | null;
  /** Stream from Hubble Relay or Goldmane; null reads stdin (or `file`). */
  native: NativeSource | null;
  /** With --file or a native source, on first run: start from the oldest record there, not from now (like tail -f). */
  fromStart: boolean;
  /** Records per batch, at most (with `aggregate`: path-minutes per batch). */
  batchRecords: number;
  /** A partial batch is sent after this long. */
  flushMs: number;
  /**
   * Aggregate at the edge (aggregator.ts): parse, dedupe and count per drop path and minute here,
   * and send aggregate batches. Default for the native sources, opt-in for stdin and files.
   */
  aggregate: boolean;
  /** With `aggregate`: example events kept per drop path and minute (0: none). */
  examplesPerPathMinute: number;
  /** With `aggregate`: records are de-duplicated within this much event time. */
  dedupeWindowMs: number;
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

export const COLLECT_USAGE = `collect --server URL --token TOKEN [--file PATH | --hubble-relay ADDR | --goldmane ADDR] [options]
      ships drop records (Hubble/Calico/netobserv JSON, Antrea np.log text) from stdin, a file,
      or the CNI's own API.
      --server URL         Dropboard's address (http://host:3000) or its ingest URL
      --token TOKEN        an ingest token (or DROPBOARD_TOKEN)
      --file PATH          follow a file, surviving rotation (default: read stdin)
      --hubble-relay HOST:PORT  stream dropped and audited flows from Hubble Relay's gRPC API
                           (port 4245 by default; the Service listens on 80, or 443 with TLS)
      --goldmane HOST:PORT stream Calico flows from Goldmane's gRPC API (mTLS; port 7443 by default)
      --tls                TLS to the native source (implied by the --tls-* flags; required by Goldmane)
      --tls-ca FILE        CA certificate(s) the server's certificate is checked against (default: system roots)
      --tls-cert FILE, --tls-key FILE  client certificate and key, for mTLS
      --tls-server-name NAME  name to check the server's certificate against
                           (Hubble Relay: instance.hubble-relay.cilium.io; Goldmane: goldmane.calico-system.svc)
      --from-start         on first run: read the file from its beginning, or take everything
                           Hubble Relay or Goldmane still holds, rather than starting from now
      --aggregate          parse, de-duplicate and count per drop path and minute here, and send
                           aggregate batches (default with --hubble-relay and --goldmane; --no-aggregate
                           sends every record instead)
      --examples N         with --aggregate: example events kept per drop path and minute, 0..100 (default 10)
      --dedupe-window DURATION  with --aggregate: a record whose id was read this recently (in event
                           time) is a duplicate (default 1m; the native sources resume with 30s of overlap)
      --batch N            records per request (default 1000); with --aggregate, path-minutes (default 2000)
      --flush DURATION     send a partial batch after this long (default 2s; 5s with --aggregate)
      --spool-dir DIR      on-disk spool for unsent batches (default .dropboard/spool)
      --spool-max SIZE     spool bound; past it the oldest batches are dropped, loudly (default 1GiB)
      --progress DURATION  log progress this often (default 10s)
      --drain-timeout DURATION  at end of input, keep trying to send the spool this long (default 5m)
      --heartbeat DURATION|off  check in this often when nothing else was sent (default 30s)
      --cluster NAME       the cluster named in heartbeats (needed with a token bound to no cluster)
      --retry-base DURATION, --retry-max DURATION  retry and reconnect backoff bounds (default 500ms, 30s)
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
        "hubble-relay": { type: "string" },
        goldmane: { type: "string" },
        tls: { type: "boolean" },
        "tls-ca": { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "tls-server-name": { type: "string" },
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
        aggregate: { type: "boolean" },
        "no-aggregate": { type: "boolean" },
        examples: { type: "string" },
        "dedupe-window": { type: "string" },
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
  const file = values.file ? path.resolve(values.file) : null;
  const native = parseNativeSource(values);
  if (file && native) throw new ConfigError(`--file and --${native.kind} are two inputs: give one`);
  if (values.aggregate && values["no-aggregate"]) throw new ConfigError("--aggregate and --no-aggregate: give one");
  const aggregate = values.aggregate ?? (native !== null && !values["no-aggregate"]);
  if (!aggregate && (values.examples !== undefined || values["dedupe-window"] !== undefined)) {
    throw new ConfigError(`--${values.examples !== undefined ? "examples" : "dedupe-window"} applies with --aggregate`);
  }
  if (aggregate && format !== "auto" && !(SOURCE_FORMAT_NAMES as string[]).includes(format)) {
    throw new ConfigError(`--format: "${format}" is not a format (${SOURCE_FORMAT_NAMES.join(", ")}, or auto)`);
  }
  const examples = values.examples ?? "10";
  const dedupeWindowMs = parseDuration(values["dedupe-window"] ?? "1m", "--dedupe-window");
  if (dedupeWindowMs < 1000 || dedupeWindowMs > 3_600_000) throw new ConfigError(`--dedupe-window: "${values["dedupe-window"]}" must be between 1s and 1h`);
  return {
    ingestUrl,
    heartbeatUrl: new URL(`${ingestUrl.pathname.replace(/\/api\/v1\/ingest$/, "")}/api/v1/heartbeat`, ingestUrl),
    heartbeatMs,
    cluster,
    token,
    file,
    native,
    fromStart: values["from-start"] ?? false,
    batchRecords: positiveInt(values.batch ?? (aggregate ? "2000" : "1000"), "--batch", 100_000),
    flushMs: parseDuration(values.flush ?? (aggregate ? "5s" : "2s"), "--flush"),
    aggregate,
    examplesPerPathMinute: examplesPerPathMinute(examples),
    dedupeWindowMs,
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

function examplesPerPathMinute(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > AGGREGATE_LIMITS.examples) throw new ConfigError(`--examples: "${text}" is not a whole number in 0..${AGGREGATE_LIMITS.examples}`);
  return value;
}

const DEFAULT_PORTS = { "hubble-relay": 4245, goldmane: 7443 } as const;

interface NativeValues {
  "hubble-relay"?: string;
  goldmane?: string;
  tls?: boolean;
  "tls-ca"?: string;
  "tls-cert"?: string;
  "tls-key"?: string;
  "tls-server-name"?: string;
}

function parseNativeSource(values: NativeValues): NativeSource | null {
  const tlsGiven = values.tls === true || ["tls-ca", "tls-cert", "tls-key", "tls-server-name"].some((flag) => values[flag as keyof NativeValues] !== undefined);
  const kinds = (["hubble-relay", "goldmane"] as const).filter((kind) => values[kind] !== undefined);
  if (kinds.length > 1) throw new ConfigError("--hubble-relay and --goldmane are two inputs: run one collector for each");
  const kind = kinds[0];
  if (kind === undefined) {
    if (tlsGiven) throw new ConfigError("--tls and the --tls-* flags apply to --hubble-relay and --goldmane");
    return null;
  }
  const address = parseAddress(values[kind] ?? "", kind);
  if ((values["tls-cert"] === undefined) !== (values["tls-key"] === undefined)) throw new ConfigError("--tls-cert and --tls-key go together (the client certificate and its key)");
  if (kind === "goldmane" && (values["tls-ca"] === undefined || values["tls-cert"] === undefined)) {
    throw new ConfigError("--goldmane: Goldmane accepts only mTLS clients: give --tls-ca (the tigera-ca-bundle), --tls-cert and --tls-key (a certificate that CA signed)");
  }
  const tls = tlsGiven || kind === "goldmane"
    ? { ca: readable(values["tls-ca"], "--tls-ca"), cert: readable(values["tls-cert"], "--tls-cert"), key: readable(values["tls-key"], "--tls-key"), serverName: values["tls-server-name"]?.trim() || null }
    : null;
  return { kind, address, tls };
}

/** host:port, [v6]:port, or a host alone (the source's usual port). */
function parseAddress(text: string, kind: NativeSource["kind"]): string {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i.exec(text.trim());
  const port = Number(match?.[3] ?? DEFAULT_PORTS[kind]);
  if (!match || port < 1 || port > 65535) throw new ConfigError(`--${kind}: "${text}" is not HOST:PORT (e.g. ${kind === "goldmane" ? "goldmane.calico-system.svc:7443" : "hubble-relay.kube-system.svc:80"})`);
  return `${match[1]}:${port}`;
}

function readable(file: string | undefined, flag: string): string | null {
  if (file === undefined) return null;
  const resolved = path.resolve(file);
  try {
    accessSync(resolved, constants.R_OK);
  } catch {
    throw new ConfigError(`${flag}: cannot read ${resolved}`);
  }
  return resolved;
}
