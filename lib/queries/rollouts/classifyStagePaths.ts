// The stage's paths, classed: which are newly enforced (surprises, expected, acknowledged), which
// belong to other policies, which predicted ones are still only audited, and the sums health's
// figures are made of. Pure: the reads are getRolloutHealth's. A stage at a million paths has
// tens of thousands of rows, so each big read is walked once and each row's facts worked out once.
import { attributePath, type PathAttribution } from "../../rollouts/attribution";
import type { Acknowledgement } from "./getExceptions";
import { pathKey, type StagePathNumbers } from "./getStagePathCounts";

// Kept rows are shared between polls (sealedPathCounts.ts): their keys are built once.
const rowKeys = new WeakMap<object, string>();
export const keyOf = (row: { cluster: string; id: string }) => {
  let key = rowKeys.get(row);
  if (key === undefined) rowKeys.set(row, (key = pathKey(row)));
  return key;
};

export interface StagePathReads {
  /** The stage's window (with `before_split`: its rate's whole minutes). */
  current: StagePathNumbers[];
  before: StagePathNumbers[];
  /** AUDIT sightings in scope before the stage. */
  audited: StagePathNumbers[];
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
  /** Keys of paths seen as AUDIT before the stage, in the budget. */
  predicted: Set<string>;
  inStage: Map<string, StagePathNumbers>;
  baselineDrops: number;
  stage: { drops: number; beforeSplit: number; defaultDeny: number; otherPolicies: number; otherReasons: number };
}

export function classifyStagePaths(reads: StagePathReads, rolloutPolicies: readonly string[], acks: ReadonlyMap<string, Acknowledgement>, enforcing: boolean): StagePathClasses {
  const facts = new Map<StagePathNumbers, { key: string; attribution: PathAttribution; inBudget: boolean }>();
  const factsOf = (row: StagePathNumbers) => {
    let found = facts.get(row);
    if (found === undefined) {
      const key = keyOf(row);
      const attribution = attributePath(row.policies ?? [], rolloutPolicies);
      facts.set(row, (found = { key, attribution, inBudget: attribution !== "other-policies" && !acks.has(key) }));
    }
    return found;
  };
  const inBudget = (row: StagePathNumbers) => factsOf(row).inBudget;

  const droppedBefore = new Set<string>();
  const seenBefore = new Set<string>();
  let baselineDrops = 0;
  for (const row of reads.before) {
    const { key, inBudget: counts } = factsOf(row);
    if (row.dropped > 0) droppedBefore.add(key);
    if (row.count > 0) seenBefore.add(key);
    if (counts) baselineDrops += row.count;
  }
  const predicted = new Set(reads.audited.filter((row) => row.audit > 0 && inBudget(row)).map((row) => factsOf(row).key));
  const classes: StagePathClasses = {
    attribution: (row) => factsOf(row).attribution,
    inBudget,
    surprises: [], expected: [], acknowledged: [], otherPolicies: [], stillAudited: [],
    predicted,
    inStage: new Map(),
    baselineDrops,
    stage: { drops: 0, beforeSplit: 0, defaultDeny: 0, otherPolicies: 0, otherReasons: 0 },
  };
  const sums = classes.stage;
  for (const row of reads.current) {
    const { key, attribution: whose, inBudget: counts } = factsOf(row);
    classes.inStage.set(key, row);
    sums.otherReasons += row.other;
    if (counts) {
      sums.drops += row.count;
      sums.beforeSplit += row.before_split;
      if (whose === "default-deny") sums.defaultDeny += row.count;
    }
    if (row.count === 0) continue;
    if (whose === "other-policies") {
      sums.otherPolicies += row.count;
      classes.otherPolicies.push(row);
      continue;
    }
    // Newly enforced: dropped now, not dropped in the baseline. In OBSERVE: newly seen at all.
    const isNew = enforcing ? row.dropped > 0 && !droppedBefore.has(key) : !seenBefore.has(key);
    if (!isNew) continue;
    if (acks.has(key)) classes.acknowledged.push(row);
    else if (!enforcing || predicted.has(key)) classes.expected.push(row);
    else classes.surprises.push(row);
  }

  // Proof of enforcement: each predicted path arrives as DROPPED (enforced), still only as AUDIT
  // after the grace period (not enforced: theatre), or not at all.
  const latelyByKey = new Map(reads.lately.map((row) => [keyOf(row), row]));
  for (const key of predicted) {
    const row = latelyByKey.get(key);
    if (row && row.audit > 0 && row.dropped === 0) classes.stillAudited.push(row);
  }
  return classes;
}
