// Aggregation at the edge (`collect --aggregate`): the collector reads each record as the server
// would (lib/ingest/normalise.ts: the same parsers, bounds and cluster rules), de-duplicates it
// (dedupe.ts), and counts it per drop path and minute, by verdict and reason as the rollups are
// keyed; it keeps up to N example events per path-minute by the server's exemplar rules (its own
// ExemplarBudget) and the path's facts (first and last seen, policies, annotations' reasons). Each
// flush takes what was gathered as one aggregate batch (lib/ingest/aggregateFormat.ts). The server
// then writes counts per path-minute, not rows per event.
import {
  AGGREGATE_LIMITS,
  AGGREGATE_VERSION,
  toExample,
  type AggregateBatch,
  type AggregateCount,
  type AggregatePathMinute,
} from "../ingest/aggregateFormat";
import { ExemplarBudget, type ExemplarSlot } from "../ingest/exemplars";
import type { SourceFormatName } from "../ingest/formats";
import { dropPathText } from "../ingest/keys";
import { readRecord, type RecordStep, type StorableDropEvent } from "../ingest/normalise";
import { readLine, type RawRecord } from "../ingest/records";
import type { EdgeDedupe } from "./dedupe";

const MINUTE_MS = 60_000;
/** Rough JSON sizes, for bounding a batch's body before it is written. */
const PATH_MINUTE_BYTES = 400;
const EXAMPLE_BYTES = 450;
/** Rejections a batch keeps the reasons of, for the log. */
const KEPT_REJECTIONS = 3;
const MAX_IGNORED_REASONS = 20;

export interface AggregatorOptions {
  format: SourceFormatName | "auto";
  /** Examples kept per drop path and minute (null: every event; the server still applies its own bound). */
  examplesPerPathMinute: number | null;
  dedupe: EdgeDedupe;
}

export type AddOutcome = "counted" | "duplicate" | "ignored" | "rejected";

interface PathMinute {
  minute: number;
  first: number;
  last: number;
  /** The first event on it: the path's fields. */
  e: StorableDropEvent;
  /** Its share of the exemplar budget (the same object in every batch while the minute is held). */
  budget: ExemplarSlot;
  /** Where a path-minute's verdict+reason pairs overflow to (AGGREGATE_LIMITS.counts): rare. */
  twin: PathMinute | null;
  policies: Set<string>;
  /** Reasons only annotations gave. */
  reasons: Set<string>;
  counts: AggregateCount[];
  examples: StorableDropEvent[];
}

export interface TakenBatch {
  batch: AggregateBatch;
  /** Records it stands for: counted, duplicates, ignored. */
  records: number;
}

export interface Rejection {
  line: number;
  reason: string;
}

/**
 * Path-minutes by their fields, one Map level per field (minute, namespace, cluster, direction,
 * src namespace and workload, dst namespace and workload, port, protocol): no key text to build and
 * hash per record, and no encoding to get wrong (null is a key like any other).
 */
type Level = Map<unknown, unknown>;

function child(level: Level, key: unknown): Level {
  let next = level.get(key) as Level | undefined;
  if (next === undefined) level.set(key, (next = new Map()));
  return next;
}

export class Aggregator {
  private root: Level = new Map();
  private gathered: PathMinute[] = [];
  private duplicates = 0;
  private ignored = 0;
  private ignoredReasons: Record<string, number> = {};
  private records = 0;
  private bytes = 0;
  private rejectedCount = 0;
  private rejections: Rejection[] = [];
  private readonly budget = new ExemplarBudget();
  /** Totals over the run, for the progress line. */
  readonly totals = { pathMinutes: 0, examples: 0, duplicates: 0, batches: 0 };

  constructor(private readonly options: AggregatorOptions) {}

  /** Path-minutes gathered since the last take. */
  get size(): number {
    return this.gathered.length;
  }

  /** The gathered batch's approximate JSON size. */
  get estimatedBytes(): number {
    return this.bytes;
  }

  /** Records gathered since the last take, and those rejected. */
  get pending(): { records: number; rejected: number } {
    return { records: this.records, rejected: this.rejectedCount };
  }

  /**
   * One record: a line as read (JSON or a text line), and the object it was serialised from when
   * the source has it (native sources: no need to parse the line again). `lineNumber` names it in
   * rejections.
   */
  add(line: string, value: object | undefined, lineNumber: number): AddOutcome {
    const raw: RawRecord = value !== undefined ? { line: lineNumber, value } : readLine(line, lineNumber);
    if ("error" in raw) return this.reject(lineNumber, raw.error);
    let step: RecordStep;
    try {
      step = readRecord(raw, { format: this.options.format, tokenCluster: null }, null, true);
    } catch {
      // Whatever a record does to a parser is that record's rejection, as on the server.
      return this.reject(lineNumber, "the collector could not read this record (a parser failed on it); it was skipped");
    }
    if ("ignored" in step) {
      this.ignore(step.ignored);
      return "ignored";
    }
    if ("rejected" in step) return this.reject(lineNumber, step.rejected);
    const e = step.storable;
    const at = e.time.getTime();
    if (step.annotation !== null) {
      // Counted by another record (a Hubble Drop event): its facts go to the path, it counts nothing.
      this.ignore(step.annotation);
      e.count = 0;
      this.fold(e, at, true);
      return "ignored";
    }
    this.records++;
    if (this.options.dedupe.isDuplicate(at, e.cluster, e.key)) {
      this.duplicates++;
      this.totals.duplicates++;
      return "duplicate";
    }
    this.fold(e, at, false);
    return "counted";
  }

  /**
   * What was gathered, as one aggregate batch under (collector, sequence), or null when nothing was
   * (only rejected records, or none). Starts the next batch.
   */
  take(collector: string, sequence: number): TakenBatch | null {
    this.budget.settle();
    const records = this.records;
    const gathered = this.gathered;
    const batch: AggregateBatch = {
      version: AGGREGATE_VERSION,
      collector,
      sequence,
      duplicates: this.duplicates,
      ignored: this.ignored,
      ignoredReasons: this.ignoredReasons,
      paths: gathered.map(toPathMinute),
    };
    this.root = new Map();
    this.gathered = [];
    this.duplicates = 0;
    this.ignored = 0;
    this.ignoredReasons = {};
    this.records = 0;
    this.bytes = 0;
    if (records === 0 && batch.paths.length === 0) return null;
    this.totals.batches++;
    return { batch, records };
  }

  /** Records rejected since the last call, with the first few reasons (the collector logs them). */
  takeRejections(): { count: number; first: Rejection[] } {
    const taken = { count: this.rejectedCount, first: this.rejections };
    this.rejectedCount = 0;
    this.rejections = [];
    return taken;
  }

  private reject(line: number, reason: string): AddOutcome {
    this.rejectedCount++;
    if (this.rejections.length < KEPT_REJECTIONS) this.rejections.push({ line, reason });
    return "rejected";
  }

  private ignore(reason: string): void {
    this.records++;
    this.ignored++;
    const reasons = this.ignoredReasons;
    const key = reason in reasons || Object.keys(reasons).length < MAX_IGNORED_REASONS ? reason : "(other)";
    reasons[key] = (reasons[key] ?? 0) + 1;
  }

  private fold(e: StorableDropEvent, at: number, annotation: boolean): void {
    const minute = at - (at % MINUTE_MS);
    let level = child(this.root, minute);
    level = child(level, e.namespace);
    level = child(level, e.cluster);
    level = child(level, e.direction);
    level = child(level, e.srcNamespace);
    level = child(level, e.srcWorkload);
    level = child(level, e.dstNamespace);
    level = child(level, e.dstWorkload);
    level = child(level, e.dstPort);
    let p = level.get(e.protocol) as PathMinute | undefined;
    if (p === undefined) {
      p = this.open(e, at, minute, null);
      level.set(e.protocol, p);
    } else {
      // A path-minute holds at most AGGREGATE_LIMITS.counts verdict+reason pairs: a rare overflow goes to a twin.
      while (!annotation && p.counts.length >= AGGREGATE_LIMITS.counts && !p.counts.some((c) => c.verdict === e.verdict && c.reason === e.reason)) {
        p = p.twin ?? (p.twin = this.open(e, at, minute, p.budget));
      }
      if (at < p.first) p.first = at;
      if (at > p.last) p.last = at;
    }
    for (const policy of e.policies) if (p.policies.size < AGGREGATE_LIMITS.policies) p.policies.add(policy);
    if (annotation) {
      if (p.reasons.size < AGGREGATE_LIMITS.reasons) p.reasons.add(e.reason);
    } else {
      const counts = p.counts;
      let c: AggregateCount | undefined;
      for (let i = 0; i < counts.length; i++) {
        const x = counts[i] as AggregateCount;
        if (x.verdict === e.verdict && x.reason === e.reason) {
          c = x;
          break;
        }
      }
      if (c === undefined) counts.push({ verdict: e.verdict, reason: e.reason, count: e.count, records: 1 });
      else {
        c.count += e.count;
        c.records++;
      }
    }
    const n = this.options.examplesPerPathMinute;
    if (p.examples.length < AGGREGATE_LIMITS.examples && (n === null || this.budget.keepIn(p.budget, e, n))) {
      p.examples.push(e);
      this.bytes += EXAMPLE_BYTES;
      this.totals.examples++;
    }
  }

  /** A new path-minute, first seen with `e`; its exemplar budget is the drop path's in that minute. */
  private open(e: StorableDropEvent, at: number, minute: number, budget: ExemplarSlot | null): PathMinute {
    const p: PathMinute = {
      minute, first: at, last: at, e, budget: budget ?? this.budget.slot(minute, dropPathText(e)), twin: null,
      policies: new Set(), reasons: new Set(), counts: [], examples: [],
    };
    this.gathered.push(p);
    this.bytes += PATH_MINUTE_BYTES;
    this.totals.pathMinutes++;
    return p;
  }
}

function toPathMinute(p: PathMinute): AggregatePathMinute {
  const e = p.e;
  const out: AggregatePathMinute = {
    minute: new Date(p.minute).toISOString(),
    first: p.first - p.minute,
    last: p.last - p.minute,
    direction: e.direction,
    namespace: e.namespace,
    srcNamespace: e.srcNamespace,
    srcWorkload: e.srcWorkload,
    dstNamespace: e.dstNamespace,
    dstWorkload: e.dstWorkload,
    dstPort: e.dstPort,
    protocol: e.protocol,
    counts: p.counts,
  };
  // "": the record named no cluster; the server files it under the token's.
  if (e.cluster !== "") out.cluster = e.cluster;
  if (p.policies.size > 0) out.policies = [...p.policies].sort();
  const annotationReasons = [...p.reasons].filter((r) => !p.counts.some((c) => c.reason === r));
  if (annotationReasons.length > 0) out.reasons = annotationReasons.sort();
  if (p.examples.length > 0) out.examples = p.examples.map(toExample);
  return out;
}
