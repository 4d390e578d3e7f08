import { describe, expect, it } from "vitest";
import { attributePath } from "../../rollouts/attribution";
import { answerRows, pick, POLICY_LISTS, randomChanges, randomKept, randomNumbers, seededRandom } from "../../testing/keptParts";
import { auditSightings, type AuditSightings } from "./auditSightings";
import { baselinePaths } from "./baselinePaths";
import { classifyStagePaths, mostDropped } from "./classifyStagePaths";
import type { Acknowledgement } from "./getExceptions";
import { pathKey, type AuditSighting, type StagePathNumbers } from "./getStagePathCounts";

describe("mostDropped", () => {
  it("lists what a stable sort by count then the first n gives, ties in their given order", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 300; trial++) {
      // Some far longer than n: the n highest are picked out of many (a heap of n).
      const size = Math.floor(random() * (trial % 5 === 0 ? 600 : 60));
      // Few distinct counts (some fractional or negative): many ties, also at the n-th row.
      const rows = Array.from({ length: size }, (_, index) => ({ index, count: Math.floor(random() * 5) - (index % 7 === 0 ? 2.5 : 0) }));
      const n = Math.floor(random() * 40);
      const expected = [...rows].sort((a, b) => b.count - a.count).slice(0, n);
      expect(mostDropped(rows, n).map((row) => row.index)).toEqual(expected.map((row) => row.index));
    }
  });

  it("leaves its input as it was", () => {
    const rows = [{ count: 1 }, { count: 3 }, { count: 2 }];
    mostDropped(rows, 2);
    mostDropped(rows, 5);
    expect(rows.map((row) => row.count)).toEqual([1, 3, 2]);
  });
});

/** Health's classes as worked out before paths were asked of kept parts: every row of each read, one at a time. */
function referenceClasses(current: readonly StagePathNumbers[], before: readonly StagePathNumbers[], audited: AuditSightings, lately: readonly StagePathNumbers[], rolloutPolicies: readonly string[], acks: ReadonlyMap<string, Acknowledgement>, enforcing: boolean) {
  const claims = (policies: readonly string[] | null) => attributePath(policies ?? [], rolloutPolicies) !== "other-policies";
  const inBudget = (row: StagePathNumbers) => claims(row.policies) && !acks.has(pathKey(row));
  const counted = (rows: readonly StagePathNumbers[]) => rows.filter((row) => row.count > 0);
  const droppedBefore = new Set(counted(before).filter((row) => row.dropped > 0).map(pathKey));
  const seenBefore = new Set(counted(before).map(pathKey));
  const sightedAndClaimed = (key: string) => {
    const policies = audited.policiesOf(key);
    return policies !== undefined && claims(policies);
  };
  const predictedSize = audited.countWhere(claims) - [...acks.keys()].filter(sightedAndClaimed).length;
  const predicted = (key: string) => predictedSize > 0 && sightedAndClaimed(key) && !acks.has(key);
  const lists = { surprises: [] as string[], expected: [] as string[], acknowledged: [] as string[], otherPolicies: [] as string[] };
  const stage = { drops: 0, beforeSplit: 0, defaultDeny: 0, otherPolicies: 0, otherReasons: current.reduce((sum, row) => sum + row.other, 0) };
  let predictedSeen = 0;
  let predictedEnforced = 0;
  for (const row of counted(current)) {
    const key = pathKey(row);
    if (predicted(key)) {
      predictedSeen++;
      if (row.dropped > 0) predictedEnforced++;
    }
    const whose = attributePath(row.policies ?? [], rolloutPolicies);
    if (whose === "other-policies") {
      stage.otherPolicies += row.count;
      lists.otherPolicies.push(key);
      continue;
    }
    if (!acks.has(key)) {
      stage.drops += row.count;
      stage.beforeSplit += row.before_split;
      if (whose === "default-deny") stage.defaultDeny += row.count;
    }
    if (!(enforcing ? row.dropped > 0 && !droppedBefore.has(key) : !seenBefore.has(key))) continue;
    if (acks.has(key)) lists.acknowledged.push(key);
    else if (!enforcing || predicted(key)) lists.expected.push(key);
    else lists.surprises.push(key);
  }
  return {
    ...lists,
    stillAudited: lately.filter((row) => row.audit > 0 && row.dropped === 0 && predicted(pathKey(row))).map(pathKey),
    stage,
    baselineDrops: counted(before).filter(inBudget).reduce((sum, row) => sum + row.count, 0),
    predicted: predictedSize,
    predictedSeen,
    predictedEnforced,
  };
}

describe("classifyStagePaths", () => {
  it("classes the stage's paths as every row of its reads, one at a time, classes them (random reads)", () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(random() * 25);
      const current = randomChanges(random, size, randomKept(random, size));
      const before = randomChanges(random, size, randomKept(random, size));
      const sighting = (id: number): AuditSighting => ({ cluster: "c", id: String(id), policies: pick(random, POLICY_LISTS) });
      const sightings = new Map<string, AuditSighting>();
      const sightedNow = new Map<string, AuditSighting>();
      for (let id = 0; id < size; id++) {
        if (random() < 0.4) sightings.set(`c/${id}`, sighting(id));
        if (random() < 0.1) sightedNow.set(`c/${id}`, sighting(id));
      }
      const audited = auditSightings({ kept: sightings, restated: new Map(), fresh: sightedNow });
      const lately = [...Array(size).keys()].filter(() => random() < 0.3).map((id) => randomNumbers(random, id));
      const acks = new Map([...Array(size).keys()].filter(() => random() < 0.15).map((id) => [`c/${id}`, {} as Acknowledgement]));
      const rolloutPolicies = pick(random, [["mine"], []]);
      const enforcing = random() < 0.7;

      const classes = classifyStagePaths({ current, before: baselinePaths(before), audited, lately }, rolloutPolicies, acks, enforcing);
      const keys = (rows: readonly StagePathNumbers[]) => rows.map(pathKey);
      const currentRows = answerRows(current);
      expect(
        {
          surprises: keys(classes.surprises), expected: keys(classes.expected), acknowledged: keys(classes.acknowledged), otherPolicies: keys(classes.otherPolicies),
          stillAudited: keys(classes.stillAudited), stage: classes.stage, baselineDrops: classes.baselineDrops, predicted: classes.predicted.size,
          predictedSeen: classes.predictedSeen, predictedEnforced: classes.predictedEnforced,
        },
        `trial ${trial}`,
      ).toEqual(referenceClasses(currentRows, answerRows(before), audited, lately, rolloutPolicies, acks, enforcing));
      // A path's row in the stage's window, by key (an expired exception's path), there or not; a
      // predicted path's only when it counts a drop (predicted paths are collected as they are counted).
      for (let id = 0; id <= size; id++) {
        const row = currentRows.find((r) => pathKey(r) === `c/${id}`);
        const counted = classes.predicted.size > 0 && classes.predicted.has(`c/${id}`) ? (row && row.count > 0 ? row : undefined) : row;
        expect(classes.inStage(`c/${id}`), `trial ${trial}, c/${id}`).toEqual(counted);
      }
    }
  });
});
