// Sends spooled batches oldest first, one at a time. A batch leaves the spool only when the server
// has answered for it (stored, or refused for good); retried with backoff otherwise. Never blocked
// by a bad batch: one the server refuses whole is logged with its reasons and dropped.
import { promisify } from "node:util";
import { gunzip as gunzipCallback, gzip as gzipCallback } from "node:zlib";
import { AGGREGATE_CONTENT_TYPE, batchRecords, type AggregateBatch } from "../ingest/aggregateFormat";
import type { CollectorOptions } from "./options";
import { backoffMs, sendBatch, type IngestReply } from "./send";
import { requestSignal, sleep, wakeableSleep, type Sleep } from "./signals";
import type { Spool } from "./spool";
import type { CollectorStats, FatalStop } from "./state";

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

const REPORTED_REASONS = 3;
const IDLE_POLL_MS = 1000;

export interface Sender {
  /** A batch was spooled: end the idle wait. */
  wake(): void;
  /** Waits until the spool is empty, up to `timeoutMs`; true when it is. */
  drain(timeoutMs: number, stopSignal: AbortSignal): Promise<boolean>;
  /** Stops at once: a request in flight is abandoned (its batch stays spooled and goes next run). */
  stop(): Promise<void>;
}

export interface SenderContext {
  options: CollectorOptions;
  spool: Spool;
  stats: CollectorStats;
  log: (line: string) => void;
  fatal: FatalStop;
  /** The server has heard from this collector (records it filed under a cluster): no heartbeat needed yet. */
  onCheckIn: () => void;
}

export function startSender({ options, spool, stats, log, fatal, onCheckIn }: SenderContext): Sender {
  const stopped = new AbortController();
  /** The sender's idle wait (a spooled batch ends it) and drain()'s poll (an empty spool ends it). */
  const waits: { idle: Sleep | null; drain: Sleep | null } = { idle: null, drain: null };
  const url = new URL(options.ingestUrl);
  if (options.format !== "auto" && !options.aggregate) url.searchParams.set("format", options.format);
  // Aggregate batches were parsed here (with --format): the server reads them by their content type.
  const aggregateUrl = new URL(options.ingestUrl);

  const loop = (async () => {
    let attempt = 0;
    let lastRetryLog = 0;
    while (!stopped.signal.aborted && !fatal.signal.aborted) {
      const entry = spool.oldest();
      if (!entry) {
        waits.drain?.wake();
        // Idle waits end early when a batch arrives; backoff waits do not (no retry storm while the server is down).
        waits.idle = wakeableSleep(IDLE_POLL_MS, stopped.signal);
        await waits.idle.done;
        waits.idle = null;
        continue;
      }
      const body = await spool.read(entry);
      const deadline = requestSignal(stopped.signal, options.requestTimeoutMs);
      const contentType = entry.aggregate ? AGGREGATE_CONTENT_TYPE : entry.text ? "text/plain" : "application/x-ndjson";
      const outcome = await sendBatch({ url: entry.aggregate ? aggregateUrl : url, token: options.token, body, contentType, signal: deadline.signal }).finally(
        deadline.dispose,
      );
      if (outcome.kind === "sent") {
        if (attempt > 0) log(`server is back: sending ${spool.records} spooled records`);
        attempt = 0;
        account(stats, entry.records, outcome.reply, log);
        if (outcome.reply.accepted + outcome.reply.duplicates > 0) onCheckIn();
        await spool.remove(entry);
        continue;
      }
      // Stopping cut the request short: its batch stays spooled for the next run.
      if (stopped.signal.aborted) break;
      if (outcome.kind === "retry") {
        attempt++;
        stats.retries++;
        const delay = outcome.afterMs ?? backoffMs(attempt, options.retryBaseMs, options.retryMaxMs);
        if (Date.now() - lastRetryLog > 5000) {
          lastRetryLog = Date.now();
          log(`cannot send (${outcome.why}); retry ${attempt} in ${(delay / 1000).toFixed(1)}s; ${spool.records} records spooled`);
        }
        await sleep(delay, stopped.signal);
        continue;
      }
      if (outcome.kind === "unauthorized") {
        fatal.stop({
          code: 2,
          reason: "unauthorized",
          message: `the server refused the token (HTTP ${outcome.status}: ${outcome.message}); unsent batches stay in ${options.spoolDir}`,
        });
        return;
      }
      if (outcome.kind === "misconfigured") {
        fatal.stop({
          code: 2,
          reason: "misconfigured",
          message:
            `the server refused a batch because of how this collector is set up (HTTP ${outcome.status}: ${outcome.message}); ` +
            `check --token (its cluster) and --format; unsent batches stay in ${options.spoolDir}`,
        });
        return;
      }
      if (outcome.status === 413 && entry.records > 1) {
        const parts = entry.aggregate ? await aggregateHalves(body) : await halves(body);
        if (parts !== null) {
          log(`the server found a batch of ${entry.records} records too large; sending it in halves`);
          await spool.split(entry, parts);
          continue;
        }
      }
      stats.refused += entry.records;
      const reasons = outcome.details.slice(0, REPORTED_REASONS).map((d) => `line ${d.line}: ${d.reason}`);
      log(
        `the server refused a batch of ${entry.records} records (HTTP ${outcome.status}: ${outcome.message})` +
          `${reasons.length ? `; ${reasons.join("; ")}` : ""}; dropped it, sending the next`,
      );
      await spool.remove(entry);
    }
  })();

  return {
    wake: () => waits.idle?.wake(),
    async drain(timeoutMs, stopSignal) {
      const deadline = Date.now() + timeoutMs;
      while (spool.batches > 0 && Date.now() < deadline && !fatal.signal.aborted && !stopSignal.aborted) {
        waits.drain = wakeableSleep(200, stopSignal);
        await waits.drain.done;
        waits.drain = null;
      }
      return spool.batches === 0;
    },
    async stop() {
      stopped.abort();
      await loop;
    },
  };
}

function account(stats: CollectorStats, records: number, reply: IngestReply, log: (line: string) => void): void {
  stats.sent += records;
  stats.accepted += reply.accepted;
  stats.duplicates += reply.duplicates;
  stats.ignored += reply.ignored;
  stats.rejected += reply.rejectedCount;
  if (reply.rejectedCount > 0) {
    const reasons = reply.rejected.slice(0, REPORTED_REASONS).map((r) => `line ${r.line}: ${r.reason}`);
    log(`the server rejected ${reply.rejectedCount} of ${records} records; ${reasons.join("; ")}`);
  }
}

async function halves(body: Buffer): Promise<{ body: Buffer; records: number }[]> {
  const lines = (await gunzip(body)).toString("utf8").split("\n").filter((line) => line !== "");
  const middle = Math.ceil(lines.length / 2);
  return Promise.all(
    [lines.slice(0, middle), lines.slice(middle)].map(async (part) => ({ body: await gzip(part.join("\n") + "\n"), records: part.length })),
  );
}

/**
 * An aggregate batch in halves by its path-minutes, each under its own key (`part` + 0 or 1); the
 * first carries the duplicates and ignored tallies. Null when it holds one path-minute or none.
 */
async function aggregateHalves(body: Buffer): Promise<{ body: Buffer; records: number }[] | null> {
  const batch = JSON.parse((await gunzip(body)).toString("utf8")) as AggregateBatch;
  if (batch.paths.length < 2) return null;
  const middle = Math.ceil(batch.paths.length / 2);
  const first: AggregateBatch = { ...batch, part: `${batch.part ?? ""}0`, paths: batch.paths.slice(0, middle) };
  const second: AggregateBatch = { ...batch, part: `${batch.part ?? ""}1`, duplicates: 0, ignored: 0, ignoredReasons: {}, paths: batch.paths.slice(middle) };
  return Promise.all([first, second].map(async (half) => ({ body: await gzip(JSON.stringify(half)), records: batchRecords(half) })));
}
