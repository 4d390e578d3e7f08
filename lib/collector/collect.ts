// `dropboard collect`: reads records (stdin or a followed file), batches them by count, size and
// time, spools each batch to disk, and sends spooled batches oldest first with retries.
// Delivery is at least once: a batch leaves the spool only when the server has answered for it,
// and re-sending one the server already stored adds nothing (ingest is idempotent).
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { gunzip as gunzipCallback, gzip as gzipCallback } from "node:zlib";
import { followFile, type FilePosition } from "./follow";
import type { CollectorOptions } from "./options";
import { backoffMs, sendBatch, type IngestReply } from "./send";
import { Spool } from "./spool";

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** Under the server's default 10 MiB body limit, with room to spare. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** No drop record is this long: such a line is garbage, and would make its batch too large to send. */
const MAX_LINE_CHARS = 1024 * 1024;
const POSITION_FILE = "position.json";
const REPORTED_REASONS = 3;

export interface CollectorStats {
  read: number;
  /** Records the server answered for (accepted, duplicate, ignored or rejected by it). */
  sent: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  /** Records in batches the server refused whole (4xx), never to be retried. */
  refused: number;
  /** Records dropped from the spool to keep it under its bound. */
  dropped: number;
  retries: number;
}

export type CollectorExit =
  /** All input read and sent. */
  | { code: 0; reason: "done" }
  /** Stopped by a signal; unsent batches stay spooled for the next run. */
  | { code: 0; reason: "stopped" }
  /** The server refused the token: fix configuration. */
  | { code: 2; reason: "unauthorized"; message: string }
  /** Input ended but the spool could not be sent within the drain timeout. */
  | { code: 3; reason: "undrained"; message: string };

export interface CollectorRun {
  stats: CollectorStats;
  /** Resolves when the collector has finished. */
  done: Promise<CollectorExit>;
  /** Flushes the current batch to the spool and stops (SIGINT/SIGTERM). */
  stop(): void;
}

export interface CollectorIo {
  input: NodeJS.ReadableStream;
  log: (line: string) => void;
}

export function startCollector(options: CollectorOptions, io: CollectorIo): CollectorRun {
  const stats: CollectorStats = { read: 0, sent: 0, accepted: 0, duplicates: 0, ignored: 0, rejected: 0, refused: 0, dropped: 0, retries: 0 };
  const stopping = new AbortController();
  const run = collect(options, io, stats, stopping.signal);
  return { stats, done: run, stop: () => stopping.abort() };
}

async function collect(options: CollectorOptions, io: CollectorIo, stats: CollectorStats, stopSignal: AbortSignal): Promise<CollectorExit> {
  const spool = await Spool.open(options.spoolDir, options.spoolMaxBytes);
  const log = io.log;
  if (spool.batches > 0) log(`resuming: ${spool.records} records in ${spool.batches} spooled batches from an earlier run`);
  const sender = startSender(options, spool, stats, log);
  const progress = setInterval(() => log(progressLine(stats, spool)), options.progressMs);
  progress.unref();

  let batch: string[] = [];
  let batchBytes = 0;
  let batchPosition: FilePosition | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let flushError: unknown = null;

  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (batch.length === 0) return flushing;
    const lines = batch;
    const position = batchPosition;
    batch = [];
    batchBytes = 0;
    // Batches reach the spool in the order they were read.
    flushing = flushing.then(async () => {
      const eviction = await spool.append(await gzip(lines.join("\n") + "\n"), lines.length, !looksLikeJson(lines[0] ?? ""));
      if (position && options.file) await savePosition(options.spoolDir, options.file, position);
      if (eviction.records > 0) {
        stats.dropped += eviction.records;
        log(
          `SPOOL FULL: dropped the oldest ${eviction.records} records (${eviction.batches} batches) to stay under ${formatBytes(options.spoolMaxBytes)}; ` +
            `${stats.dropped} dropped so far. The server has been unreachable too long, or --spool-max is too small.`,
        );
      }
      sender.wake();
    });
    return flushing;
  };

  const add = async (line: string, position: FilePosition | null) => {
    // A spool write that failed (disk full, permissions) stops the collector rather than losing batches.
    if (flushError) throw flushError;
    stats.read++;
    if (line.length > MAX_LINE_CHARS) {
      stats.refused++;
      log(`skipped line ${stats.read}: ${line.length} characters is longer than any drop record (${MAX_LINE_CHARS})`);
      return;
    }
    batch.push(line);
    batchBytes += line.length + 1;
    batchPosition = position;
    if (batch.length >= options.batchRecords || batchBytes >= MAX_BATCH_BYTES) await flush();
    else if (flushTimer === null) {
      flushTimer = setTimeout(() => {
        flush().catch((error: unknown) => (flushError = error));
      }, options.flushMs);
    }
  };

  // Reading ends on a stop request, or when the server refuses the token (nothing could be sent).
  const stopReading = AbortSignal.any([stopSignal, sender.fatal.signal]);
  try {
    if (options.file) {
      const resume = await loadPosition(options.spoolDir, options.file);
      for await (const { line, position } of followFile({ path: options.file, resume, fromStart: options.fromStart, signal: stopReading, onWait: log })) {
        await add(line, position);
      }
    } else {
      const lines = createInterface({ input: io.input, crlfDelay: Infinity });
      stopReading.addEventListener("abort", () => lines.close(), { once: true });
      for await (const line of lines) {
        if (line.trim() !== "") await add(line, null);
      }
    }
    await flush();

    if (sender.fatal.signal.aborted) return sender.exit();
    if (stopSignal.aborted) {
      log(`stopping: ${spool.records} records stay spooled in ${options.spoolDir} for the next run`);
      return { code: 0, reason: "stopped" };
    }
    // End of input: send what is spooled, within the drain timeout.
    const drained = await sender.drain(options.drainTimeoutMs, stopSignal);
    if (sender.fatal.signal.aborted) return sender.exit();
    if (!drained && !stopSignal.aborted) {
      return {
        code: 3,
        reason: "undrained",
        message: `input ended, but ${spool.records} records could not be sent within ${options.drainTimeoutMs / 1000}s; they stay in ${options.spoolDir} and go out on the next run`,
      };
    }
    return { code: 0, reason: stopSignal.aborted ? "stopped" : "done" };
  } finally {
    clearInterval(progress);
    await sender.stop();
    log(`${progressLine(stats, spool)} (final)`);
    await spool.close();
  }
}

interface Sender {
  wake(): void;
  /** Waits until the spool is empty, up to `timeoutMs`; true when it is. */
  drain(timeoutMs: number, stopSignal: AbortSignal): Promise<boolean>;
  stop(): Promise<void>;
  /** Aborted when the server refuses the token: nothing more can be sent. */
  fatal: AbortController;
  exit(): CollectorExit;
}

function startSender(options: CollectorOptions, spool: Spool, stats: CollectorStats, log: (line: string) => void): Sender {
  const fatal = new AbortController();
  const stopped = new AbortController();
  let fatalMessage = "";
  let wakeUp: (() => void) | null = null;
  let idle: (() => void) | null = null;
  const url = new URL(options.ingestUrl);
  if (options.format !== "auto") url.searchParams.set("format", options.format);

  // Idle waits end early when a batch arrives; backoff waits do not (no retry storm while the server is down).
  const wait = (ms: number, wakeable = true) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      if (wakeable) wakeUp = done;
      stopped.signal.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
    });

  const loop = (async () => {
    let attempt = 0;
    let lastRetryLog = 0;
    while (!stopped.signal.aborted) {
      const entry = spool.oldest();
      if (!entry) {
        (idle as (() => void) | null)?.();
        await wait(1000);
        continue;
      }
      const body = await spool.read(entry);
      const outcome = await sendBatch({ url, token: options.token, body, contentType: entry.text ? "text/plain" : "application/x-ndjson", timeoutMs: options.requestTimeoutMs });
      if (outcome.kind === "sent") {
        if (attempt > 0) log(`server is back: sending ${spool.records} spooled records`);
        attempt = 0;
        account(stats, entry.records, outcome.reply, log);
        await spool.remove(entry);
        continue;
      }
      if (outcome.kind === "retry") {
        attempt++;
        stats.retries++;
        const delay = outcome.afterMs ?? backoffMs(attempt, options.retryBaseMs, options.retryMaxMs);
        if (Date.now() - lastRetryLog > 5000) {
          lastRetryLog = Date.now();
          log(`cannot send (${outcome.why}); retry ${attempt} in ${(delay / 1000).toFixed(1)}s; ${spool.records} records spooled`);
        }
        await wait(delay, false);
        continue;
      }
      if (outcome.kind === "unauthorized") {
        fatalMessage = `the server refused the token (HTTP ${outcome.status}: ${outcome.message}); unsent batches stay in ${options.spoolDir}`;
        fatal.abort();
        return;
      }
      if (outcome.status === 413 && entry.records > 1) {
        log(`the server found a batch of ${entry.records} records too large; sending it in halves`);
        await spool.split(entry, await halves(body));
        continue;
      }
      stats.refused += entry.records;
      const reasons = outcome.details.slice(0, REPORTED_REASONS).map((d) => `line ${d.line}: ${d.reason}`);
      log(`the server refused a batch of ${entry.records} records (HTTP ${outcome.status}: ${outcome.message})${reasons.length ? `; ${reasons.join("; ")}` : ""}`);
      await spool.remove(entry);
    }
  })();

  return {
    fatal,
    wake: () => (wakeUp as (() => void) | null)?.(),
    exit: () => ({ code: 2, reason: "unauthorized", message: fatalMessage }),
    async drain(timeoutMs, stopSignal) {
      const deadline = Date.now() + timeoutMs;
      while (spool.batches > 0 && Date.now() < deadline && !fatal.signal.aborted && !stopSignal.aborted) {
        await new Promise<void>((resolve) => {
          idle = resolve;
          setTimeout(resolve, 200);
        });
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

/** A batch of text lines (Antrea's np.log) goes as text/plain, JSON lines as NDJSON. */
function looksLikeJson(line: string): boolean {
  const head = line.trimStart();
  return head.startsWith("{") || head.startsWith("[");
}

async function halves(body: Buffer): Promise<{ body: Buffer; records: number }[]> {
  const lines = (await gunzip(body)).toString("utf8").split("\n").filter((line) => line !== "");
  const middle = Math.ceil(lines.length / 2);
  return Promise.all(
    [lines.slice(0, middle), lines.slice(middle)].map(async (part) => ({ body: await gzip(part.join("\n") + "\n"), records: part.length })),
  );
}

interface SavedPosition extends FilePosition {
  file: string;
}

async function loadPosition(spoolDir: string, file: string): Promise<FilePosition | null> {
  try {
    const saved = JSON.parse(await readFile(path.join(spoolDir, POSITION_FILE), "utf8")) as SavedPosition;
    return saved.file === file && Number.isInteger(saved.ino) && Number.isInteger(saved.offset) ? { ino: saved.ino, offset: saved.offset } : null;
  } catch {
    return null;
  }
}

async function savePosition(spoolDir: string, file: string, position: FilePosition): Promise<void> {
  const saved: SavedPosition = { file, ...position };
  await writeFile(path.join(spoolDir, `${POSITION_FILE}.tmp`), JSON.stringify(saved));
  await rename(path.join(spoolDir, `${POSITION_FILE}.tmp`), path.join(spoolDir, POSITION_FILE));
}

export function progressLine(stats: CollectorStats, spool: Spool): string {
  return (
    `read ${stats.read} · sent ${stats.sent} (accepted ${stats.accepted}, duplicates ${stats.duplicates}, ignored ${stats.ignored}) · ` +
    `rejected ${stats.rejected + stats.refused} · spooled ${spool.records} in ${spool.batches} batches (${formatBytes(spool.bytes)}) · ` +
    `dropped ${stats.dropped} · retries ${stats.retries}`
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
