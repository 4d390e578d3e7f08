// Ingest: records -> parse by format -> resolve cluster -> check bounds -> dedupe -> store.
import { ingestLimits, type IngestLimits } from "../config";
import { checkIn } from "./checkins";
import { parseRecord, parseTextRecord, type SourceFormatName } from "./formats";
import type { RawRecord } from "./records";
import { eventIdentity } from "./keys";
import { rawCutoff } from "./retention";
import { writeDropEvents, type StorableDropEvent } from "./store";
import { findOutOfBounds } from "./validate";

export const DEFAULT_CLUSTER = "default";
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

export async function ingestRecords(records: Iterable<RawRecord>, options: IngestOptions): Promise<IngestResult> {
  const limits = ingestLimits();
  // Older records could not be deduplicated: their day's identities may be gone (retention.ts).
  const oldest = rawCutoff(options.now, limits.maxAgeDays).getTime();
  const newest = options.now.getTime() + limits.maxFutureMinutes * 60_000;
  const result: IngestResult = { accepted: 0, duplicates: 0, ignored: 0, ignoredReasons: {}, rejected: [], rejectedCount: 0, aborted: false };
  const reject = (line: number, reason: string) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_REPORTED_REJECTIONS) result.rejected.push({ line, reason });
  };
  const ignore = (reason: string) => {
    result.ignored++;
    const reasons = result.ignoredReasons;
    const key = reason in reasons || Object.keys(reasons).length < MAX_IGNORED_REASONS ? reason : "(other)";
    reasons[key] = (reasons[key] ?? 0) + 1;
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
      step = readRecord(record, options, { oldest, newest, limits });
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

type RecordStep = { ignored: string } | { rejected: string; cluster?: string } | { storable: StorableDropEvent; annotation: string | null };

interface Window {
  /** Accepted record times, epoch ms: from the raw retention cutoff to now + the future allowance. */
  oldest: number;
  newest: number;
  limits: IngestLimits;
}

/** One record: parsed, its cluster resolved, checked against the bounds and the accepted window. */
function readRecord(record: Exclude<RawRecord, { error: string }>, options: IngestOptions, window: Window): RecordStep {
  const outcome = "text" in record ? parseTextRecord(record.text, options.format) : parseRecord(record.value, options.format);
  if (outcome.kind === "ignored") return { ignored: outcome.reason };
  if (outcome.kind === "rejected") return { rejected: outcome.reason };
  const event = outcome.event;
  if (options.tokenCluster !== null && event.cluster !== null && event.cluster !== options.tokenCluster) {
    return { rejected: `cluster: the record is from cluster "${event.cluster}", but the token may only write "${options.tokenCluster}"` };
  }
  const at = event.time.getTime();
  // Parsers refuse impossible times already (STACK.md 20); an Invalid Date must still never reach toISOString().
  if (!Number.isFinite(at)) return { rejected: "time: not a valid time" };
  const cluster = event.cluster ?? options.tokenCluster ?? DEFAULT_CLUSTER;
  // The parser's object is this request's own: complete it in place rather than copy it per event.
  const storable: StorableDropEvent = Object.assign(event, { cluster, identity: eventIdentity(at, cluster, event.key) });
  const problem = findOutOfBounds(storable);
  if (problem) return { rejected: problem };
  const { limits } = window;
  if (at < window.oldest) {
    return {
      cluster,
      rejected: `time: ${event.time.toISOString()} is older than the ${limits.maxAgeDays}-day raw retention (accepted from ${new Date(window.oldest).toISOString()}): a re-send could no longer be recognised as a duplicate`,
    };
  }
  if (at > window.newest) {
    return { cluster, rejected: `time: ${event.time.toISOString()} is more than ${limits.maxFutureMinutes} minutes in the future (clock skew allowance, DROPBOARD_MAX_FUTURE_MINUTES)` };
  }
  return { storable, annotation: outcome.kind === "annotation" ? outcome.reason : null };
}

/** A parser threw: a bug, not bad input (parsers return rejections). One log entry per request, with the first stack. */
function logParserFailures(failures: readonly { line: number; error: unknown }[]): void {
  const first = failures[0] as { line: number; error: unknown };
  const lines = failures.slice(0, 10).map((f) => f.line).join(", ");
  console.error(`[ingest] ${failures.length} record(s) made the parser throw (lines ${lines}${failures.length > 10 ? ", ..." : ""}); rejected. The first:`, first.error);
}
