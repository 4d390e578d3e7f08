// Ingest: records -> parse by format -> resolve cluster -> check bounds -> dedupe -> store.
import { ingestLimits, type IngestLimits } from "../config";
import { checkIn } from "./checkins";
import type { SourceFormatName } from "./formats";
import { readRecord, type RecordStep, type StorableDropEvent, type TimeWindow } from "./normalise";
import type { RawRecord } from "./records";
import { rawCutoff } from "./retention";
import { writeDropEvents } from "./store";

export { DEFAULT_CLUSTER } from "./normalise";
/** Replies list this many rejections in full; `rejectedCount` has them all. */
export const MAX_REPORTED_REJECTIONS = 100;
/** Replies tally ignored records under at most this many reasons; the rest go under "(other)". */
const MAX_IGNORED_REASONS = 20;

export interface IngestOptions {
  format: SourceFormatName | "auto";
  /** The ingest token's cluster: records naming none get it, records naming another are rejected. */
  tokenCluster: string | null;
  /** All-or-nothing: store nothing if any record is rejected. */
  atomic: boolean;
  now: Date;
}

export interface Rejection {
  line: number;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  ignored: number;
  /** Why records were ignored, e.g. {"verdict FORWARDED is not a drop": 12, "policy-verdict copy": 3}. */
  ignoredReasons: Record<string, number>;
  rejected: Rejection[];
  rejectedCount: number;
  /** True when records were rejected and, the request being atomic, nothing was stored. */
  aborted: boolean;
}

export class TooManyRecordsError extends Error {}

/** The window of record times ingest accepts at `now` (retention.ts, the clock skew allowance). */
export function acceptedWindow(now: Date, limits: IngestLimits = ingestLimits()): TimeWindow {
  return {
    // Older records could not be deduplicated: their day's identities may be gone (retention.ts).
    oldest: rawCutoff(now, limits.maxAgeDays).getTime(),
    newest: now.getTime() + limits.maxFutureMinutes * 60_000,
    maxAgeDays: limits.maxAgeDays,
    maxFutureMinutes: limits.maxFutureMinutes,
  };
}

/** Adds `n` records to a tally of ignored reasons, past MAX_IGNORED_REASONS under "(other)". */
export function tallyIgnored(reasons: Record<string, number>, reason: string, n = 1): void {
  const key = reason in reasons || Object.keys(reasons).length < MAX_IGNORED_REASONS ? reason : "(other)";
  reasons[key] = (reasons[key] ?? 0) + n;
}

export async function ingestRecords(records: Iterable<RawRecord>, options: IngestOptions): Promise<IngestResult> {
  const limits = ingestLimits();
  const window = acceptedWindow(options.now, limits);
  const result: IngestResult = { accepted: 0, duplicates: 0, ignored: 0, ignoredReasons: {}, rejected: [], rejectedCount: 0, aborted: false };
  const reject = (line: number, reason: string) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_REPORTED_REJECTIONS) result.rejected.push({ line, reason });
  };
  const ignore = (reason: string) => {
    result.ignored++;
    tallyIgnored(result.ignoredReasons, reason);
  };
  // Every request checks its clusters in (liveness): the token's, and every cluster a record names.
  const clusters = new Set<string>(options.tokenCluster !== null ? [options.tokenCluster] : []);
  let oldestRecord = Infinity;

  const events = new Map<string, StorableDropEvent>();
  /** Events in `events` that count (annotations do not). */
  let counted = 0;
  let seen = 0;
  const parserFailures: { line: number; error: unknown }[] = [];
  for (const record of records) {
    if (++seen > limits.maxRecordsPerRequest) throw new TooManyRecordsError(`more than ${limits.maxRecordsPerRequest} records in one request`);
    if ("error" in record) {
      reject(record.line, record.error);
      continue;
    }
    // Whatever one record does to a parser, it is that record's rejection, never the batch's failure.
    let step: RecordStep;
    try {
      step = readRecord(record, options, window);
    } catch (error) {
      parserFailures.push({ line: record.line, error });
      step = { rejected: "the server could not read this record (its log has the details); it was skipped" };
    }
    if ("ignored" in step) {
      ignore(step.ignored);
      continue;
    }
    if ("rejected" in step) {
      reject(record.line, step.rejected);
      // A record refused for its time still says its collector is alive.
      if (step.cluster !== undefined) clusters.add(step.cluster);
      continue;
    }
    const { storable, annotation } = step;
    clusters.add(storable.cluster);
    const at = storable.time.getTime();
    if (at < oldestRecord) oldestRecord = at;
    if (annotation !== null) {
      // Counted by another record (e.g. a Hubble Drop event): adds its facts to the path, counts nothing.
      ignore(annotation);
      storable.count = 0;
      if (!events.has(storable.identity)) events.set(storable.identity, storable);
      continue;
    }
    if (events.has(storable.identity)) result.duplicates++;
    else {
      events.set(storable.identity, storable);
      counted++;
    }
  }
  if (parserFailures.length > 0) logParserFailures(parserFailures);

  if (options.atomic && result.rejectedCount > 0) {
    result.aborted = true;
  } else {
    result.accepted = await writeDropEvents([...events.values()]);
    result.duplicates += counted - result.accepted;
  }
  await checkIn({ clusters: [...clusters], at: options.now, oldestRecord: Number.isFinite(oldestRecord) ? new Date(oldestRecord) : null });
  return result;
}

/** A parser threw: a bug, not bad input (parsers return rejections). One log entry per request, with the first stack. */
function logParserFailures(failures: readonly { line: number; error: unknown }[]): void {
  const first = failures[0] as { line: number; error: unknown };
  const lines = failures.slice(0, 10).map((f) => f.line).join(", ");
  console.error(`[ingest] ${failures.length} record(s) made the parser throw (lines ${lines}${failures.length > 10 ? ", ..." : ""}); rejected. The first:`, first.error);
}
