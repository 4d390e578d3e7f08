// One record, from its raw form to a drop event ready to store or to count: parsed by its format,
// its cluster resolved, checked against the bounds and the accepted time window. The server's ingest
// (pipeline.ts) and the collector's aggregation at the edge (lib/collector/aggregator.ts) both read
// records through here, so a record means the same wherever it is read. No I/O, no database.
import { parseRecord, parseTextRecord, type SourceFormatName } from "./formats";
import { eventIdentity } from "./keys";
import type { RawRecord } from "./records";
import type { DropEvent } from "./types";
import { findOutOfBounds } from "./validate";

export const DEFAULT_CLUSTER = "default";

/** A drop event ready to store: its cluster resolved, its identity (keys.ts eventIdentity) known. */
export type StorableDropEvent = DropEvent & { cluster: string; identity: string };

export interface RecordContext {
  format: SourceFormatName | "auto";
  /** The ingest token's cluster: records naming none get it, records naming another are rejected. */
  tokenCluster: string | null;
}

export interface TimeWindow {
  /** Accepted record times, epoch ms: from the raw retention cutoff to now + the future allowance. */
  oldest: number;
  newest: number;
  maxAgeDays: number;
  maxFutureMinutes: number;
}

export type RecordStep =
  | { ignored: string }
  | { rejected: string; cluster?: string }
  | { storable: StorableDropEvent; annotation: string | null };

/** What the parsers make of one raw record (a JSON value or a text line), `format` forcing one. */
export function parseRaw(record: Exclude<RawRecord, { error: string }>, format: SourceFormatName | "auto") {
  return "text" in record ? parseTextRecord(record.text, format) : parseRecord(record.value, format);
}

/**
 * One record: parsed, its cluster resolved, checked against the bounds and (when given) the accepted
 * window. Without a token cluster a record naming none is filed under DEFAULT_CLUSTER, unless
 * `keepNoCluster` (the collector, which leaves it to the server where the token's cluster applies):
 * then its cluster is "" and it gets no identity.
 */
export function readRecord(
  record: Exclude<RawRecord, { error: string }>,
  context: RecordContext,
  window: TimeWindow | null,
  keepNoCluster = false,
): RecordStep {
  const outcome = parseRaw(record, context.format);
  if (outcome.kind === "ignored") return { ignored: outcome.reason };
  if (outcome.kind === "rejected") return { rejected: outcome.reason };
  const event = outcome.event;
  if (context.tokenCluster !== null && event.cluster !== null && event.cluster !== context.tokenCluster) {
    return { rejected: `cluster: the record is from cluster "${event.cluster}", but the token may only write "${context.tokenCluster}"` };
  }
  const at = event.time.getTime();
  // Parsers refuse impossible times already (STACK.md 20); an Invalid Date must still never reach toISOString().
  if (!Number.isFinite(at)) return { rejected: "time: not a valid time" };
  const cluster = event.cluster ?? context.tokenCluster ?? (keepNoCluster ? "" : DEFAULT_CLUSTER);
  // The parser's object is this request's own: complete it in place rather than copy it per event.
  // The collector needs no identity (the server stores none for aggregated events): it dedupes by its own.
  const storable: StorableDropEvent = Object.assign(event, { cluster, identity: keepNoCluster ? "" : eventIdentity(at, cluster, event.key) });
  // (An empty cluster, the collector's "none", passes the bounds as no cluster would.)
  const problem = findOutOfBounds(storable);
  if (problem) return { rejected: problem };
  if (window !== null) {
    if (at < window.oldest) {
      return {
        cluster,
        rejected: `time: ${event.time.toISOString()} is older than the ${window.maxAgeDays}-day raw retention (accepted from ${new Date(window.oldest).toISOString()}): a re-send could no longer be recognised as a duplicate`,
      };
    }
    if (at > window.newest) {
      return { cluster, rejected: `time: ${event.time.toISOString()} is more than ${window.maxFutureMinutes} minutes in the future (clock skew allowance, DROPBOARD_MAX_FUTURE_MINUTES)` };
    }
  }
  return { storable, annotation: outcome.kind === "annotation" ? outcome.reason : null };
}
