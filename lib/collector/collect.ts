// `dropboard collect`: reads records (stdin, a followed file, or Hubble Relay's or Goldmane's API:
// source.ts), batches them by count, size and time, spools each batch to disk, and sends spooled
// batches oldest first with retries.
// Delivery is at least once: a batch leaves the spool only when the server has answered for it,
// and re-sending one the server already stored adds nothing (ingest is idempotent).
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { startHeartbeat } from "./heartbeat";
import type { CollectorOptions } from "./options";
import { startSender } from "./sender";
import { fileSource, stdinSource, type RecordSource } from "./source";
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
  const log = io.log;
  const fatal = new FatalStop();
  // Made before the spool is opened (and locked): a native source that cannot load its .proto files fails here.
  const source: RecordSource = options.native
    ? (await import("./native")).nativeSource({ source: options.native, options, log, fatal })
    : options.file
      ? fileSource({ path: options.file, fromStart: options.fromStart, spoolDir: options.spoolDir, onNotice: log })
      : stdinSource(io.input);
  const spool = await Spool.open(options.spoolDir, options.spoolMaxBytes);
  if (spool.batches > 0) log(`resuming: ${spool.records} records in ${spool.batches} spooled batches from an earlier run`);
  const heartbeat = options.heartbeatMs === null ? null : startHeartbeat(options, options.heartbeatMs, log, fatal);
  const sender = startSender({ options, spool, stats, log, fatal, onCheckIn: () => heartbeat?.noteCheckIn() });
  // Reading ends on a stop request, or when the server refuses the token or the setup (nothing could be sent).
  const stopReading = AbortSignal.any([stopSignal, fatal.signal]);
  const progress = setInterval(() => log(progressLine(stats, spool, source)), options.progressMs);
  progress.unref();

  let batch: string[] = [];
  let batchBytes = 0;
  /** Where the source stood after the batch's last marked record: committed once the batch is spooled. */
  let batchMark: unknown = undefined;
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let flushError: unknown = null;

  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (batch.length === 0) return flushing;
    const lines = batch;
    const mark = batchMark;
    batch = [];
    batchBytes = 0;
    batchMark = undefined;
    // Batches reach the spool in the order they were read.
    flushing = flushing.then(async () => {
      const eviction = await spool.append(await gzip(lines.join("\n") + "\n"), lines.length, !looksLikeJson(lines[0] ?? ""));
      if (mark !== undefined) await source.commit?.(mark);
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

  const add = async (line: string, mark: unknown) => {
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
    if (mark !== undefined) batchMark = mark;
    if (batch.length >= options.batchRecords || batchBytes >= MAX_BATCH_BYTES) await flush();
    else if (flushTimer === null) {
      flushTimer = setTimeout(() => {
        flush().catch((error: unknown) => (flushError = error));
      }, options.flushMs);
    }
  };

  try {
    for await (const record of source.read(stopReading)) await add(record.line, record.mark);
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
    log(`${progressLine(stats, spool, source)} (final)`);
    await spool.close();
  }
}

/** A batch of text lines (Antrea's np.log) goes as text/plain, JSON lines as NDJSON. */
function looksLikeJson(line: string): boolean {
  const head = line.trimStart();
  return head.startsWith("{") || head.startsWith("[");
}

export function progressLine(stats: CollectorStats, spool: Spool, source?: RecordSource): string {
  const own = source?.progress?.();
  return (
    `read ${stats.read} · sent ${stats.sent} (accepted ${stats.accepted}, duplicates ${stats.duplicates}, ignored ${stats.ignored}) · ` +
    `rejected ${stats.rejected + stats.refused} · spooled ${spool.records} in ${spool.batches} batches (${formatBytes(spool.bytes)}) · ` +
    `dropped ${stats.dropped} · retries ${stats.retries}${own ? ` · ${own}` : ""}`
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
