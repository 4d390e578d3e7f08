// The server's metrics (README, "Metrics"). Counters and the latency histogram are fed by one-line
// calls where the work happens (the ingest route, webhook delivery); the gauges that describe the
// database (pending counts, rollout verdicts, cluster check-ins) are read from it at scrape time,
// with a statement timeout, so every replica reports the same truth and nothing is cached.
import { Counter, Gauge, Histogram } from "prom-client";
import { getPool } from "../db/pool";
import { metricSet } from "./registry";

/** Label values are bounded sets, never request data: a scrape stays small whatever clients send. */
export const INGEST_OUTCOMES = ["accepted", "duplicate", "ignored", "rejected"] as const;
export const REJECTION_REASONS = [
  "cluster_not_allowed",
  "too_old",
  "in_future",
  "invalid_time",
  "malformed",
  "unknown_format",
  "invalid_field",
  "server_error",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export const REFUSAL_REASONS = ["busy", "database_unavailable"] as const;
export const WEBHOOK_OUTCOMES = ["delivered", "http_error", "timeout", "refused", "network_error", "no_url"] as const;
export const VERDICTS = ["HEALTHY", "AT_RISK", "BREACHED", "INSUFFICIENT_DATA", "NOT_ENFORCED"] as const;

/** Ingest replies list this many rejections; the rest of a batch's rejections are split like them. */
const LISTED_REJECTIONS = 100;
/** Pending rows are counted up to this many: a stalled compactor shows as the cap, cheaply. */
export const PENDING_ROWS_CAP = 1_000_000;
const SCRAPE_STATEMENT_TIMEOUT_MS = 2_000;

const server = () =>
  metricSet("server", (registry) => ({
    ingestRecords: new Counter({
      name: "dropboard_ingest_records_total",
      help: "Records in ingest batches the server processed, by requested format (auto, aggregate, hubble, ...) and outcome (accepted, duplicate, ignored, rejected).",
      labelNames: ["format", "outcome"],
      registers: [registry],
    }),
    ingestRejected: new Counter({
      name: "dropboard_ingest_rejected_records_total",
      help: "Records ingest rejected, by reason class (cluster_not_allowed, too_old, in_future, invalid_time, malformed, unknown_format, invalid_field, server_error).",
      labelNames: ["reason"],
      registers: [registry],
    }),
    ingestRefused: new Counter({
      name: "dropboard_ingest_refused_requests_total",
      help: "Ingest requests answered before processing, to be sent again: busy (429) or database_unavailable (503).",
      labelNames: ["reason"],
      registers: [registry],
    }),
    ingestDuration: new Histogram({
      name: "dropboard_ingest_batch_duration_seconds",
      help: "Time from an ingest request's arrival to its reply (waiting for a slot, reading the body, parsing, storing), for batches the server processed.",
      labelNames: ["format"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: "dropboard_webhook_delivery_attempts_total",
      help: "Webhook delivery attempts, by outcome (delivered, http_error, timeout, refused, network_error, no_url).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    webhookAbandoned: new Counter({
      name: "dropboard_webhook_deliveries_abandoned_total",
      help: "Webhook messages given up after their last failed attempt.",
      registers: [registry],
    }),
    pendingRows: new Gauge({
      name: "dropboard_pending_count_rows",
      help: `Rows of drop counts not yet compacted into rollups (drop_counts_pending), counted up to ${PENDING_ROWS_CAP}. Stays near zero while the compactor keeps up.`,
      registers: [registry],
    }),
    pendingDrops: new Gauge({
      name: "dropboard_pending_drops",
      help: "Drops those pending rows count.",
      registers: [registry],
    }),
    rolloutVerdict: new Gauge({
      name: "dropboard_rollout_verdict",
      help: "Each active rollout's last verdict: 1 for its verdict, 0 for the others. Active: not complete, not rolled back, judged at least once.",
      labelNames: ["rollout_id", "rollout", "stage", "verdict"],
      registers: [registry],
    }),
    clusterCheckin: new Gauge({
      name: "dropboard_cluster_last_checkin_timestamp_seconds",
      help: "When each cluster's collector last checked in (any ingest request naming it, or a heartbeat), as a Unix time.",
      labelNames: ["cluster"],
      registers: [registry],
    }),
    databaseScrape: new Gauge({
      name: "dropboard_scrape_database_success",
      help: "1 when this scrape read the database gauges (pending counts, rollout verdicts, check-ins), 0 when the database did not answer in time.",
      registers: [registry],
    }),
  }));

/** Which bounded class a rejection's message falls in. */
export function rejectionReason(message: string): RejectionReason {
  if (/token may only write/.test(message)) return "cluster_not_allowed";
  if (/older than .*retention/.test(message)) return "too_old";
  if (/in the future/.test(message)) return "in_future";
  if (/could not read this record/.test(message)) return "server_error";
  if (/not valid JSON|neither JSON|expected a JSON object|valid JSON array/.test(message)) return "malformed";
  if (/matches no known format|reads text lines|reads JSON records/.test(message)) return "unknown_format";
  if (/^(time|start_time|last|first)\b|timestamp|valid (date|time)/.test(message)) return "invalid_time";
  return "invalid_field";
}

/** What the ingest route knows of a processed batch (IngestResult and the aggregate result both fit). */
export interface IngestTally {
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: readonly { reason: string }[];
  rejectedCount: number;
}

/**
 * A processed ingest batch: its records by outcome, its rejections by reason, its latency.
 * `format` is the requested one (the query's, or "aggregate"); `startedAt` is performance.now() at arrival.
 */
export function observeIngest(format: string, result: IngestTally, startedAt: number): void {
  const m = server();
  const counts: Record<(typeof INGEST_OUTCOMES)[number], number> = {
    accepted: result.accepted,
    duplicate: result.duplicates,
    ignored: result.ignored,
    rejected: result.rejectedCount,
  };
  for (const outcome of INGEST_OUTCOMES) m.ingestRecords.inc({ format, outcome }, counts[outcome]);
  for (const [reason, n] of rejectionsByReason(result)) m.ingestRejected.inc({ reason }, n);
  m.ingestDuration.observe({ format }, (performance.now() - startedAt) / 1000);
}

/**
 * Rejections per reason class: the listed ones (the first 100) by their messages, the rest of the
 * batch's split in the same proportions (largest remainders), so the total is exact.
 */
export function rejectionsByReason(result: Pick<IngestTally, "rejected" | "rejectedCount">): Map<RejectionReason, number> {
  const listed = new Map<RejectionReason, number>();
  for (const r of result.rejected.slice(0, LISTED_REJECTIONS)) {
    const reason = rejectionReason(r.reason);
    listed.set(reason, (listed.get(reason) ?? 0) + 1);
  }
  const listedTotal = [...listed.values()].reduce((a, b) => a + b, 0);
  const total = Math.max(result.rejectedCount, listedTotal);
  if (listedTotal === 0) return total > 0 ? new Map([["invalid_field", total]]) : listed;
  if (total === listedTotal) return listed;
  const shares = [...listed].map(([reason, n]) => ({ reason, exact: (n * total) / listedTotal }));
  const out = new Map(shares.map((s) => [s.reason, Math.floor(s.exact)] as [RejectionReason, number]));
  let left = total - [...out.values()].reduce((a, b) => a + b, 0);
  for (const s of [...shares].sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
    if (left-- <= 0) break;
    out.set(s.reason, (out.get(s.reason) ?? 0) + 1);
  }
  return out;
}

/** An ingest request answered 429 (the server is busy) or 503 (the database is unavailable). */
export function countIngestRefused(reason: (typeof REFUSAL_REASONS)[number]): void {
  server().ingestRefused.inc({ reason });
}

/** Which bounded outcome a delivery attempt's status text (webhooks.ts DeliveryOutcome.error) is. */
export function webhookOutcome(error: string | null): (typeof WEBHOOK_OUTCOMES)[number] {
  if (error === null) return "delivered";
  if (error.startsWith("HTTP ")) return "http_error";
  if (error.startsWith("timeout")) return "timeout";
  if (error.startsWith("refused") || error.startsWith("not sent")) return "refused";
  if (error.includes("no longer has a webhook URL")) return "no_url";
  return "network_error";
}

/** One webhook delivery attempt; `abandoned` when it was the message's last. */
export function recordWebhookAttempt(error: string | null, abandoned: boolean): void {
  const m = server();
  m.webhookAttempts.inc({ outcome: webhookOutcome(error) });
  if (abandoned) m.webhookAbandoned.inc();
}

interface RolloutVerdictRow {
  id: string;
  name: string;
  stage: string;
  verdict: string;
}

/** Reads the database gauges for this scrape; on failure they are left out and the success gauge says so. */
export async function refreshDatabaseGauges(): Promise<void> {
  const m = server();
  m.pendingRows.reset();
  m.pendingDrops.reset();
  m.rolloutVerdict.reset();
  m.clusterCheckin.reset();
  let client;
  try {
    client = await getPool().connect();
  } catch {
    m.databaseScrape.set(0);
    return;
  }
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${SCRAPE_STATEMENT_TIMEOUT_MS}`);
    const pending = await client.query<{ rows: string; drops: string }>(
      `SELECT count(*)::bigint AS rows, coalesce(sum(count), 0)::bigint AS drops
         FROM (SELECT count FROM drop_counts_pending LIMIT ${PENDING_ROWS_CAP}) p`,
    );
    const rollouts = await client.query<RolloutVerdictRow>(
      `SELECT r.id, r.name, t.stage::text AS stage, r.last_verdict::text AS verdict
         FROM rollouts r
         JOIN LATERAL (SELECT stage FROM rollout_transitions WHERE rollout_id = r.id ORDER BY seq DESC LIMIT 1) t ON true
        WHERE r.completed_at IS NULL AND r.last_verdict IS NOT NULL AND t.stage <> 'ROLLED_BACK'`,
    );
    const checkins = await client.query<{ cluster: string; seconds: number }>(
      `SELECT cluster, extract(epoch FROM last_seen_at)::float8 AS seconds FROM cluster_checkins`,
    );
    await client.query("COMMIT");
    m.pendingRows.set(Number(pending.rows[0]?.rows ?? 0));
    m.pendingDrops.set(Number(pending.rows[0]?.drops ?? 0));
    for (const r of rollouts.rows) {
      for (const verdict of VERDICTS) m.rolloutVerdict.set({ rollout_id: r.id, rollout: r.name, stage: r.stage, verdict }, r.verdict === verdict ? 1 : 0);
    }
    for (const c of checkins.rows) m.clusterCheckin.set({ cluster: c.cluster }, c.seconds);
    m.databaseScrape.set(1);
  } catch {
    await client.query("ROLLBACK").catch(() => undefined);
    m.pendingRows.reset();
    m.pendingDrops.reset();
    m.rolloutVerdict.reset();
    m.clusterCheckin.reset();
    m.databaseScrape.set(0);
  } finally {
    client.release();
  }
}

/** Makes the server's metrics exist (at zero) before the first event, so a scrape always lists them. */
export function registerServerMetrics(): void {
  const m = server();
  for (const reason of REFUSAL_REASONS) m.ingestRefused.inc({ reason }, 0);
  for (const outcome of WEBHOOK_OUTCOMES) m.webhookAttempts.inc({ outcome }, 0);
}
