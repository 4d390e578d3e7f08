// Settings from the environment, read where they are used (no values frozen at module load).

function positiveIntFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function nonNegativeIntFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (0 or more), got "${raw}"`);
  return value;
}

export interface IngestLimits {
  /** Request body cap, counted after gzip inflation too. */
  maxBodyBytes: number;
  maxRecordsPerRequest: number;
  /** Records older than this many days are rejected: their dedupe record would be gone (retention.ts). */
  maxAgeDays: number;
  /** Records stamped this far in the future are rejected (clock skew allowance). */
  maxFutureMinutes: number;
  /** Batches parsed and written at once per server process (slots.ts). */
  concurrentBatches: number;
  /** Requests that may wait beyond those running (reading their body or waiting for a slot); more get 429. */
  queuedBatches: number;
}

export function ingestLimits(): IngestLimits {
  return {
    maxBodyBytes: positiveIntFromEnv("DROPBOARD_MAX_BODY_BYTES", 10 * 1024 * 1024),
    maxRecordsPerRequest: positiveIntFromEnv("DROPBOARD_MAX_RECORDS", 100_000),
    maxAgeDays: retentionSettings().rawDays,
    maxFutureMinutes: positiveIntFromEnv("DROPBOARD_MAX_FUTURE_MINUTES", 10),
    concurrentBatches: positiveIntFromEnv("DROPBOARD_INGEST_CONCURRENCY", 2),
    queuedBatches: nonNegativeIntFromEnv("DROPBOARD_INGEST_QUEUE", 8),
  };
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it to the embedded PostgreSQL)");
  return url;
}

/** Raw events kept per drop path per minute (the rest are counted, not stored); null keeps all. */
export function exemplarsPerPathMinute(): number | null {
  const name = "DROPBOARD_EXEMPLARS_PER_PATH_MINUTE";
  if (process.env[name]?.trim().toLowerCase() === "all") return null;
  return positiveIntFromEnv(name, DEFAULT_EXEMPLARS_PER_PATH_MINUTE);
}

export const DEFAULT_EXEMPLARS_PER_PATH_MINUTE = 10;

export interface RetentionSettings {
  /** Raw exemplar rows and event identities (the dedupe record) are kept this many days. */
  rawDays: number;
  /** Rollups (every chart's counts) are kept this many days. */
  rollupDays: number;
}

export function retentionSettings(): RetentionSettings {
  return {
    rawDays: positiveIntFromEnv("DROPBOARD_RAW_RETENTION_DAYS", 14),
    rollupDays: positiveIntFromEnv("DROPBOARD_ROLLUP_RETENTION_DAYS", 400),
  };
}

/** A cluster is reporting when its collector checked in (any record, or a heartbeat) this recently. */
export function livenessMinutes(): number {
  return positiveIntFromEnv("DROPBOARD_LIVENESS_MINUTES", 5);
}
