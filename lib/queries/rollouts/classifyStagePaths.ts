// The stage's paths, classed: which are newly enforced (surprises, expected, acknowledged), which
// belong to other policies, which predicted ones are still only audited, and the sums health's
// figures are made of. Pure: the reads are getRolloutHealth's. A stage at a million paths has
// tens of thousands of rows, so each big read is walked once and each row's facts worked out once.
import { attributePath, type PathAttribution } from "../../rollouts/attribution";
import { forEachRow, partsRow, type KeptParts } from "../keptReads";
import type { AuditSightings } from "./auditSightings";
import type { BaselinePaths } from "./baselinePaths";
import type { Acknowledgement } from "./getExceptions";
import { pathKey, plusNumbers, type StagePathNumbers } from "./getStagePathCounts";

// Kept rows are shared between polls (sealedPathCounts.ts): their keys are built once.
const rowKeys = new WeakMap<object, string>();
export const keyOf = (row: { cluster: string; id: string }) => {
  let key = rowKeys.get(row);
  if (key === undefined) rowKeys.set(row, (key = pathKey(row)));
  return key;
};

export interface StagePathReads {
  /** The stage's window (with `before_split`: its rate's whole minutes), in its kept read's parts. */
  current: KeptParts<StagePathNumbers>;
  /** The baseline's paths (asked path by path: its rows are kept, and so is what is derived from them). */
  before: BaselinePaths;
  /** AUDIT sightings in scope before the stage. */
  audited: AuditSightings;
  /** The proof-of-enforcement window (empty until the grace period is over). */
  lately: StagePathNumbers[];
}

export interface StagePathClasses {
  attribution(row: StagePathNumbers): PathAttribution;
  inBudget(row: StagePathNumbers): boolean;
  /** Newly enforced (in OBSERVE: newly seen) paths, by what they are; rows, unsorted. */
  surprises: StagePathNumbers[];
  expected: StagePathNumbers[];
  acknowledged: StagePathNumbers[];
  /** Paths whose drops name only other policies. */
  otherPolicies: StagePathNumbers[];
  /** Predicted paths arriving only as AUDIT in the proof-of-enforcement window. */
  stillAudited: StagePathNumbers[];
  /** Paths seen as AUDIT before the stage, in the budget: how many, and whether a path is one. */
  predicted: { size: number; has(key: string): boolean };
  /** Predicted paths seen in the stage's window, and of those, enforced (dropped). */
  predictedSeen: number;
  predictedEnforced: number;
  /** A path's row in the stage's window, by key. */
  inStage(key: string): StagePathNumbers | undefined;
  baselineDrops: number;
  stage: { drops: number; beforeSplit: number; defaultDeny: number; otherPolicies: number; otherReasons: number };
}

/**
 * Tens of thousands of rows per read: each row's facts are worked out where they are used, with no
 * map of every row (a Map or Set entry per row per poll cost more than all the rest).
 */
export function classifyStagePaths(reads: StagePathReads, rolloutPolicies: readonly string[], acks: ReadonlyMap<string, Acknowledgement>, enforcing: boolean): StagePathClasses {
  const attribution = (row: StagePathNumbers) => attributePath(row.policies ?? [], rolloutPolicies);
  // No exception in force (the usual case): no path's key is needed to know it is in the budget.
  const inBudget = (row: StagePathNumbers) => attribution(row) !== "other-policies" && !(acks.size > 0 && acks.has(keyOf(row)));

  // Not a set of every sighting: an audit-mode scan sights 400k paths in a month (auditSightings.ts).
  const claims = (policies: readonly string[] | null) => attributePath(policies ?? [], rolloutPolicies) !== "other-policies";
  // In the budget: drops on paths the rollout's policies may cause, without an exception in force.
  const baselineDrops = reads.before.drops(claims, acks);
  const sightedAndClaimed = (key: string) => {
    const policies = reads.audited.policiesOf(key);
    return policies !== undefined && claims(policies);
  };
  const predicted = {
    size: reads.audited.countWhere(claims) - [...acks.keys()].filter(sightedAndClaimed).length,
    has: (key: string) => sightedAndClaimed(key) && !acks.has(key),
  };
  const predictedInStage = new Map<string, StagePathNumbers>();
  const classes: StagePathClasses = {
    attribution,
    inBudget,
    surprises: [], expected: [], acknowledged: [], otherPolicies: [], stillAudited: [],
    predicted,
    predictedSeen: 0,
    predictedEnforced: 0,
    // Predicted paths are looked up often and were collected on the way; any other (an expired
    // exception's) rarely: from the kept read's parts.
    inStage: (key) => predictedInStage.get(key) ?? (predicted.has(key) ? undefined : partsRow(reads.current, key, plusNumbers)),
    baselineDrops,
    stage: { drops: 0, beforeSplit: 0, defaultDeny: 0, otherPolicies: 0, otherReasons: 0 },
  };
  const sums = classes.stage;
  // Keyed as the kept read holds them: no key built or looked up per row (21k rows a poll at a scan).
  forEachRow(reads.current, plusNumbers, (key, row) => {
    sums.otherReasons += row.other;
    if (row.count === 0) return;
    const isPredictedPath = predicted.size > 0 && predicted.has(key);
    if (isPredictedPath) {
      predictedInStage.set(key, row);
      classes.predictedSeen++;
      if (row.dropped > 0) classes.predictedEnforced++;
    }
    const whose = attribution(row);
    if (whose === "other-policies") {
      sums.otherPolicies += row.count;
      classes.otherPolicies.push(row);
      return;
    }
    const acknowledged = acks.has(key);
    if (!acknowledged) {
      sums.drops += row.count;
      sums.beforeSplit += row.before_split;
      if (whose === "default-deny") sums.defaultDeny += row.count;
    }
    // Newly enforced: dropped now, not dropped in the baseline. In OBSERVE: newly seen at all.
    const isNew = enforcing ? row.dropped > 0 && !reads.before.dropped(key) : !reads.before.seen(key);
    if (!isNew) return;
    if (acknowledged) classes.acknowledged.push(row);
    else if (!enforcing || isPredictedPath) classes.expected.push(row);
    else classes.surprises.push(row);
  });

  // Proof of enforcement: each predicted path arrives as DROPPED (enforced), still only as AUDIT
  // after the grace period (not enforced: theatre), or not at all.
  if (predicted.size > 0) {
    for (const row of reads.lately) {
      if (row.audit > 0 && row.dropped === 0 && predicted.has(keyOf(row))) classes.stillAudited.push(row);
    }
  }
  return classes;
}

/**
 * The first `n` rows by count, most first, equal counts in their given order: what a stable sort
 * then `slice(0, n)` gives, without sorting every row (a scan makes tens of thousands of
 * surprises, and health lists 200).
 */
export function mostDropped<Row extends { count: number }>(rows: readonly Row[], n: number): Row[] {
  const byCount = (a: Row, b: Row) => b.count - a.count;
  if (n <= 0) return [];
  if (rows.length <= n) return [...rows].sort(byCount);
  // The n-th highest count: every row above it is listed, then the first rows at it.
  const threshold = nthHighestCount(rows, n);
  const above = rows.filter((row) => row.count > threshold).sort(byCount);
  return [...above, ...rows.filter((row) => row.count === threshold).slice(0, n - above.length)];
}

/**
 * The n-th highest count of the rows (0 < n < rows.length), through a min-heap of the n highest
 * seen so far: one pass, where copying and sorting every count took 4 ms at 21k rows.
 */
function nthHighestCount(rows: readonly { count: number }[], n: number): number {
  const heap = new Float64Array(n);
  for (let i = 0; i < n; i++) heap[i] = rows[i]?.count ?? 0;
  heap.sort(); // ascending: a min-heap
  for (let i = n; i < rows.length; i++) {
    const count = rows[i]?.count ?? 0;
    if (count <= (heap[0] ?? 0)) continue;
    // The root (the lowest of the n) gives way: sift the new count down to its place.
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && (heap[child + 1] ?? 0) < (heap[child] ?? 0)) child++;
      if ((heap[child] ?? 0) >= count) break;
      heap[at] = heap[child] ?? 0;
      at = child;
    }
    heap[at] = count;
  }
  return heap[0] ?? 0;
}
