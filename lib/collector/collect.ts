// `dropboard collect`: reads records (stdin or a followed file), batches them by count, size and
// time, spools each batch to disk, and sends spooled batches oldest first with retries.
// Delivery is at least once: a batch leaves the spool only when the server has answered for it,
// and re-sending one the server already stored adds nothing (ingest is idempotent).
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { followFile } from "./follow";
import { startHeartbeat } from "./heartbeat";
import type { CollectorOptions } from "./options";
import { loadPosition, savePosition, type FilePosition } from "./position";
import { startSender } from "./sender";
import { Spool } from "./spool";
import { emptyStats, FatalStop, type CollectorExit, type CollectorStats } from "./state";

export type { CollectorExit, CollectorStats } from "./state";

const gzip = promisify(gzipCallback);

/** Under the server's default 10 MiB body limit, with room to spare. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** No drop record is this long: such a line is garbage, and would make its batch too large to send. */
const MAX_LINE_CHARS = 1024 * 1024;

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
  const stats = emptyStats();
  const stopping = new AbortController();
  const run = collect(options, io, stats, stopping.signal);
  return { stats, done: run, stop: () => stopping.abort() };
}

async function collect(options: CollectorOptions, io: CollectorIo, stats: CollectorStats, stopSignal: AbortSignal): Promise<CollectorExit> {
  const spool = await Spool.open(options.spoolDir, options.spoolMaxBytes);
  const log = io.log;
  if (spool.batches > 0) log(`resuming: ${spool.records} records in ${spool.batches} spooled batches from an earlier run`);
  const fatal = new FatalStop();
  const heartbeat = options.heartbeatMs === null ? null : startHeartbeat(options, options.heartbeatMs, log, fatal);
  const sender = startSender({ options, spool, stats, log, fatal, onCheckIn: () => heartbeat?.noteCheckIn() });
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

  // Reading ends on a stop request, or when the server refuses the token or the setup (nothing could be sent).
  const stopReading = AbortSignal.any([stopSignal, fatal.signal]);
  try {
    if (options.file) {
      const resume = await loadPosition(options.spoolDir, options.file);
      for await (const { line, position } of followFile({ path: options.file, resume, fromStart: options.fromStart, signal: stopReading, onNotice: log })) {
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

    const stopped = (): CollectorExit => {
      log(`stopping: ${spool.records} records stay spooled in ${options.spoolDir} for the next run`);
      return { code: 0, reason: "stopped" };
    };
    if (fatal.exit) return fatal.exit;
    if (stopSignal.aborted) return stopped();
    // End of input: send what is spooled, within the drain timeout.
    const drained = await sender.drain(options.drainTimeoutMs, stopSignal);
    if (fatal.exit) return fatal.exit;
    if (stopSignal.aborted) return stopped();
    if (!drained) {
      return {
        code: 3,
        reason: "undrained",
        message: `input ended, but ${spool.records} records could not be sent within ${options.drainTimeoutMs / 1000}s; they stay in ${options.spoolDir} and go out on the next run`,
      };
    }
    return { code: 0, reason: "done" };
  } finally {
    clearInterval(progress);
    await Promise.all([sender.stop(), heartbeat?.stop()]);
    log(`${progressLine(stats, spool)} (final)`);
    await spool.close();
  }
}

/** A batch of text lines (Antrea's np.log) goes as text/plain, JSON lines as NDJSON. */
function looksLikeJson(line: string): boolean {
  const head = line.trimStart();
  return head.startsWith("{") || head.startsWith("[");
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
