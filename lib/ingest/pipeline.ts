// Ingest: records -> parse by format -> resolve cluster -> check bounds -> dedupe -> store.
import { ingestLimits } from "../config";
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
  for (const record of records) {
    if (++seen > limits.maxRecordsPerRequest) throw new TooManyRecordsError(`more than ${limits.maxRecordsPerRequest} records in one request`);
    if ("error" in record) {
      reject(record.line, record.error);
      continue;
    }
    const outcome = "text" in record ? parseTextRecord(record.text, options.format) : parseRecord(record.value, options.format);
    if (outcome.kind === "ignored") {
      ignore(outcome.reason);
      continue;
    }
    if (outcome.kind === "rejected") {
      reject(record.line, outcome.reason);
      continue;
    }
    const event = outcome.event;
    if (options.tokenCluster !== null && event.cluster !== null && event.cluster !== options.tokenCluster) {
      reject(record.line, `cluster: the record is from cluster "${event.cluster}", but the token may only write "${options.tokenCluster}"`);
      continue;
    }
    const cluster = event.cluster ?? options.tokenCluster ?? DEFAULT_CLUSTER;
    clusters.add(cluster);
    const at = event.time.getTime();
    // The parser's object is this request's own: complete it in place rather than copy it per event.
    const storable: StorableDropEvent = Object.assign(event, { cluster, identity: eventIdentity(at, cluster, event.key) });
    const problem = findOutOfBounds(storable);
    if (problem) {
      reject(record.line, problem);
      continue;
    }
    if (at < oldest) {
      reject(
        record.line,
        `time: ${event.time.toISOString()} is older than the ${limits.maxAgeDays}-day raw retention (accepted from ${new Date(oldest).toISOString()}): a re-send could no longer be recognised as a duplicate`,
      );
      continue;
    }
    if (at > newest) {
      reject(record.line, `time: ${event.time.toISOString()} is more than ${limits.maxFutureMinutes} minutes in the future (clock skew allowance)`);
      continue;
    }
    if (at < oldestRecord) oldestRecord = at;
    if (outcome.kind === "annotation") {
      // Counted by another record (e.g. a Hubble Drop event): adds its facts to the path, counts nothing.
      ignore(outcome.reason);
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

  if (options.atomic && result.rejectedCount > 0) {
    result.aborted = true;
  } else {
    result.accepted = await writeDropEvents([...events.values()]);
    result.duplicates += counted - result.accepted;
  }
  await checkIn({ clusters: [...clusters], at: options.now, oldestRecord: Number.isFinite(oldestRecord) ? new Date(oldestRecord) : null });
  return result;
}
