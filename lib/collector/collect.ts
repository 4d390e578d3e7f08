// `dropboard collect`: reads records (stdin, a followed file, or Hubble Relay's or Goldmane's API:
// source.ts), batches them by count, size and time, spools each batch to disk, and sends spooled
// batches oldest first with retries.
// Delivery is at least once: a batch leaves the spool only when the server has answered for it,
// and re-sending one the server already stored adds nothing (ingest is idempotent).
// With --aggregate the records are parsed, de-duplicated and counted here (aggregator.ts), and each
// batch is one aggregate batch under this run's collector id and a sequence number: the server
// counts a re-sent one once by that key. What each batch counted is committed next to the spool
// before it can be sent (dedupe.ts), so a restart that reads records again counts them once too.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { SourceFormatName } from "../ingest/formats";
import { Aggregator } from "./aggregator";
import { EdgeDedupe, EdgeLedger } from "./dedupe";
import { startHeartbeat } from "./heartbeat";
import type { CollectorOptions } from "./options";
import { startSender } from "./sender";
import { fileSource, stdinSource, type RecordSource, type SourceRecord } from "./source";
import { Spool, type Eviction } from "./spool";
import { emptyStats, FatalStop, type CollectorExit, type CollectorStats } from "./state";

export type { CollectorExit, CollectorStats } from "./state";

const gzip = promisify(gzipCallback);

/** Under the server's default 10 MiB body limit, with room to spare. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** No drop record is this long: such a line is garbage, and would make its batch too large to send. */
const MAX_LINE_CHARS = 1024 * 1024;
/** An aggregate batch's JSON stays under this (examples are most of it). */
const MAX_AGGREGATE_BYTES = 4 * 1024 * 1024;

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
  const edge = options.aggregate ? await openEdge(options, source, spool, log) : null;
  if (spool.batches > 0) log(`resuming: ${spool.records} records in ${spool.batches} spooled batches from an earlier run`);
  const heartbeat = options.heartbeatMs === null ? null : startHeartbeat(options, options.heartbeatMs, log, fatal);
  const sender = startSender({ options, spool, stats, log, fatal, onCheckIn: () => heartbeat?.noteCheckIn() });
  // Reading ends on a stop request, or when the server refuses the token or the setup (nothing could be sent).
  const stopReading = AbortSignal.any([stopSignal, fatal.signal]);
  const progress = setInterval(() => log(progressLine(stats, spool, source, edge?.aggregator)), options.progressMs);
  progress.unref();

  let batch: string[] = [];
  let batchBytes = 0;
  /** Where the source stood after the batch's last marked record: committed once the batch is spooled. */
  let batchMark: unknown = undefined;
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let flushError: unknown = null;

  const afterSpooled = (eviction: Eviction) => {
    if (eviction.records > 0) {
      stats.dropped += eviction.records;
      log(
        `SPOOL FULL: dropped the oldest ${eviction.records} records (${eviction.batches} batches) to stay under ${formatBytes(options.spoolMaxBytes)}; ` +
          `${stats.dropped} dropped so far. The server has been unreachable too long, or --spool-max is too small.`,
      );
    }
    sender.wake();
  };

  const flushLines = (): Promise<void> => {
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
      afterSpooled(eviction);
    });
    return flushing;
  };

  /** What the aggregator gathered, as one aggregate batch: spooled, and what it counted committed before it may be sent. */
  const flushAggregate = (e: Edge): Promise<void> => {
    const mark = batchMark;
    batchMark = undefined;
    const rejections = e.aggregator.takeRejections();
    if (rejections.count > 0) {
      const reasons = rejections.first.map((r) => `line ${r.line}: ${r.reason}`);
      log(`rejected ${rejections.count} records here (not sent); ${reasons.join("; ")}`);
    }
    const taken = e.aggregator.take(e.collectorId, e.sequence);
    if (taken !== null) e.sequence++;
    const added = e.dedupe.takeAdded();
    flushing = flushing.then(async () => {
      if (taken === null) {
        // Only rejected records: nothing to send, but they were read.
        if (mark !== undefined) await source.commit?.(mark);
        return;
      }
      const body = await gzip(JSON.stringify(taken.batch));
      const eviction = await spool.append(body, taken.records, "aggregate", async (sequence) => {
        if (e.resumable) await e.ledger.writeSeen(sequence, added.hashes, added.newest);
        await e.ledger.commit(sequence);
        if (mark !== undefined) await source.commit?.(mark);
      });
      if (added.newest > e.newest) e.newest = added.newest;
      if (e.resumable) await e.ledger.prune(e.newest - options.dedupeWindowMs);
      afterSpooled(eviction);
    });
    return flushing;
  };

  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    return edge ? flushAggregate(edge) : flushLines();
  };

  const scheduleFlush = () => {
    if (flushTimer === null) {
      flushTimer = setTimeout(() => {
        flush().catch((error: unknown) => (flushError = error));
      }, options.flushMs);
    }
  };

  /** One record; a promise only when it filled a batch (the flush), so the common case costs no await. */
  const add = (record: SourceRecord<unknown>): Promise<void> | undefined => {
    // A spool write that failed (disk full, permissions) stops the collector rather than losing batches.
    if (flushError) throw flushError;
    stats.read++;
    // A native source's record is an object from a bounded gRPC message: its line is never needed here.
    const line = edge !== null && record.record !== undefined ? null : record.line;
    if (line !== null && line.length > MAX_LINE_CHARS) {
      stats.refused++;
      log(`skipped line ${stats.read}: ${line.length} characters is longer than any drop record (${MAX_LINE_CHARS})`);
      return;
    }
    if (record.mark !== undefined) batchMark = record.mark;
    if (edge !== null) {
      if (edge.aggregator.add(line ?? "", record.record, stats.read) === "rejected") stats.rejected++;
      if (edge.aggregator.size >= options.batchRecords || edge.aggregator.estimatedBytes >= MAX_AGGREGATE_BYTES) return flush();
      scheduleFlush();
      return;
    }
    batch.push(line as string);
    batchBytes += (line as string).length + 1;
    if (batch.length >= options.batchRecords || batchBytes >= MAX_BATCH_BYTES) return flush();
    scheduleFlush();
  };

  try {
    for await (const record of source.read(stopReading)) {
      const flushed = add(record);
      if (flushed) await flushed;
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
    log(`${progressLine(stats, spool, source, edge?.aggregator)} (final)`);
    await spool.close();
  }
}

/** A batch of text lines (Antrea's np.log) goes as text/plain, JSON lines as NDJSON. */
function looksLikeJson(line: string): boolean {
  const head = line.trimStart();
  return head.startsWith("{") || head.startsWith("[");
}

export function progressLine(stats: CollectorStats, spool: Spool, source?: RecordSource, aggregator?: Aggregator): string {
  const own = source?.progress?.();
  const totals = aggregator?.totals;
  const aggregated = totals ? ` · aggregated into ${totals.pathMinutes} path-minutes (${totals.examples} examples) in ${totals.batches} batches` : "";
  return (
    `read ${stats.read} · sent ${stats.sent} (accepted ${stats.accepted}, duplicates ${stats.duplicates}, ignored ${stats.ignored}) · ` +
    `rejected ${stats.rejected + stats.refused} · spooled ${spool.records} in ${spool.batches} batches (${formatBytes(spool.bytes)}) · ` +
    `dropped ${stats.dropped} · retries ${stats.retries}${aggregated}${own ? ` · ${own}` : ""}`
  );
}

/** The aggregating collector's state: its aggregator, de-duplication window and ledger. */
interface Edge {
  aggregator: Aggregator;
  dedupe: EdgeDedupe;
  ledger: EdgeLedger;
  /** This run's id: with the sequence, each aggregate batch's idempotency key. */
  collectorId: string;
  sequence: number;
  /** The source reads records again after a restart (a cursor or a file position): commit what was counted. */
  resumable: boolean;
  /** The newest record time committed. */
  newest: number;
}

/**
 * Sets up aggregation: what earlier runs committed is loaded (the records they counted stay counted),
 * and aggregate batches they wrote but did not commit are dropped, as their records will be read again.
 */
async function openEdge(options: CollectorOptions, source: RecordSource, spool: Spool, log: (line: string) => void): Promise<Edge> {
  const resumable = source.commit !== undefined;
  const ledger = new EdgeLedger(options.spoolDir);
  const restored = await ledger.restore(options.dedupeWindowMs);
  if (restored.committed !== null) spool.advanceSequence(restored.committed + 1);
  if (resumable) {
    const discarded = await spool.discardAggregatesAfter(restored.committed ?? -1);
    if (discarded > 0) log(`an earlier run stopped before committing aggregate batches of ${discarded} records: dropped them, as their records are read again`);
  }
  const dedupe = new EdgeDedupe({
    windowMs: options.dedupeWindowMs,
    track: resumable,
    onShortened: (heldMs) =>
      log(`de-duplication holds too many records for --dedupe-window ${options.dedupeWindowMs / 1000}s: it now remembers the last ${(heldMs / 1000).toFixed(0)}s of records`),
  });
  let newest = -Infinity;
  for (const seen of restored.seen) {
    dedupe.restore(seen.hashes, seen.newest);
    newest = Math.max(newest, seen.newest);
  }
  // options.ts checked the name against the parsers' with --aggregate.
  const format = options.format as SourceFormatName | "auto";
  const aggregator = new Aggregator({ format, examplesPerPathMinute: options.examplesPerPathMinute, dedupe });
  const collectorId = `${hostname().slice(0, 150)}/${randomBytes(6).toString("hex")}`;
  return { aggregator, dedupe, ledger, collectorId, sequence: 0, resumable, newest };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
