// Ingest of aggregate batches: a collector that counted at the edge sends counts per drop path and
// minute with a few example events (aggregateFormat.ts), under an idempotency key (collector id +
// sequence). Each path-minute is checked as records are (bounds, cluster bound to the token, the
// accepted time window) and refused alone, naming the field; the rest are stored without per-event
// identities (store.ts writeAggregate): the batch key makes a re-send count once. Check-ins as for
// any ingest.
import { ingestLimits } from "../config";
import {
  PathRefused,
  readAggregateBatch,
  readPathMinute,
  type ReadPathMinute,
} from "./aggregateFormat";
import { checkIn } from "./checkins";
import { DEFAULT_CLUSTER } from "./normalise";
import { acceptedWindow, MAX_REPORTED_REJECTIONS, TooManyRecordsError, type IngestResult } from "./pipeline";
import { writeAggregate, type StorablePathMinute } from "./storeAggregate";

export { AggregateFormatError } from "./aggregateFormat";

export interface AggregateIngestOptions {
  /** The ingest token's cluster: path-minutes naming none get it, those naming another are refused. */
  tokenCluster: string | null;
  /** All-or-nothing: store nothing if any path-minute is refused. */
  atomic: boolean;
  now: Date;
}

/**
 * Ingests one aggregate batch (the request body, parsed). Throws AggregateFormatError when the batch
 * itself cannot be read (a 400 naming the field), TooManyRecordsError past the request's bounds.
 * `rejected` lists refused path-minutes by their position in `paths` (1-based, as `line`);
 * `rejectedCount` counts the records they stood for.
 */
export interface AggregateIngestResult extends IngestResult {
  /** Path-minutes were sent, and every one was refused: nothing of the batch could be stored. */
  allRefused: boolean;
}

export async function ingestAggregate(value: unknown, options: AggregateIngestOptions): Promise<AggregateIngestResult> {
  const limits = ingestLimits();
  const batch = readAggregateBatch(value);
  if (batch.paths.length > limits.maxRecordsPerRequest) {
    throw new TooManyRecordsError(`more than ${limits.maxRecordsPerRequest} path-minutes in one aggregate batch`);
  }
  const window = acceptedWindow(options.now, limits);
  const result: IngestResult = {
    accepted: 0,
    duplicates: batch.duplicates,
    ignored: batch.ignored,
    ignoredReasons: batch.ignoredReasons,
    rejected: [],
    rejectedCount: 0,
    aborted: false,
  };
  const reject = (position: number, reason: string, records: number) => {
    result.rejectedCount += records;
    if (result.rejected.length < MAX_REPORTED_REJECTIONS) result.rejected.push({ line: position, reason });
  };
  const clusters = new Set<string>(options.tokenCluster !== null ? [options.tokenCluster] : []);
  let oldestRecord = Infinity;
  let examples = 0;
  const storable: (StorablePathMinute & { records: number })[] = [];

  for (let i = 0; i < batch.paths.length; i++) {
    let p: ReadPathMinute;
    try {
      p = readPathMinute(batch.paths[i]);
    } catch (error) {
      if (!(error instanceof PathRefused)) throw error;
      // How many records a path-minute too broken to read stood for is unknown: it counts as one.
      reject(i + 1, error.message, Math.max(1, recordsOf(batch.paths[i])));
      continue;
    }
    examples += p.examples.length;
    if (examples > limits.maxRecordsPerRequest) throw new TooManyRecordsError(`more than ${limits.maxRecordsPerRequest} example events in one aggregate batch`);
    if (options.tokenCluster !== null && p.cluster !== null && p.cluster !== options.tokenCluster) {
      reject(i + 1, `cluster: the path-minute is from cluster "${p.cluster}", but the token may only write "${options.tokenCluster}"`, p.records);
      continue;
    }
    const cluster = p.cluster ?? options.tokenCluster ?? DEFAULT_CLUSTER;
    const first = p.minute + p.first;
    const last = p.minute + p.last;
    if (first < window.oldest) {
      clusters.add(cluster);
      reject(
        i + 1,
        `minute: ${new Date(first).toISOString()} is older than the ${window.maxAgeDays}-day raw retention (accepted from ${new Date(window.oldest).toISOString()}): a re-send could no longer be recognised as a duplicate`,
        p.records,
      );
      continue;
    }
    if (last > window.newest) {
      clusters.add(cluster);
      reject(i + 1, `last: ${new Date(last).toISOString()} is more than ${window.maxFutureMinutes} minutes in the future (clock skew allowance, DROPBOARD_MAX_FUTURE_MINUTES)`, p.records);
      continue;
    }
    clusters.add(cluster);
    if (first < oldestRecord) oldestRecord = first;
    for (const e of p.examples) e.cluster = cluster;
    storable.push({ ...p, cluster, examples: p.examples as StorablePathMinute["examples"] });
  }

  if (options.atomic && result.rejected.length > 0) {
    result.aborted = true;
  } else {
    const fresh = await writeAggregate({ collector: batch.collector, batch: batch.batch }, storable);
    for (const p of storable) {
      if (fresh.has(p.cluster)) result.accepted += p.records;
      else result.duplicates += p.records;
    }
  }
  await checkIn({ clusters: [...clusters], at: options.now, oldestRecord: Number.isFinite(oldestRecord) ? new Date(oldestRecord) : null });
  return { ...result, allRefused: batch.paths.length > 0 && storable.length === 0 };
}

/** The records a path-minute says it stands for, read leniently (for one that was refused). */
function recordsOf(value: unknown): number {
  const counts = (value as { counts?: unknown } | null)?.counts;
  if (!Array.isArray(counts)) return 0;
  let records = 0;
  for (const c of counts) {
    const r = (c as { records?: unknown } | null)?.records;
    if (typeof r === "number" && Number.isSafeInteger(r) && r > 0) records += r;
  }
  return Math.min(records, Number.MAX_SAFE_INTEGER);
}
