// Health's baseline, asked path by path: what it answers from the kept rows and what changed since
// (late counts, policies named since, exceptions) equals what the baseline's rows as readKept
// gives them answer, row by row; and against the database, what a fresh read of every count answers.
import { describe, expect, it } from "vitest";
import { attributePath } from "../../rollouts/attribution";
import { compactRollups } from "../../ingest/compact";
import { uniqueCluster } from "../../testing/db";
import { pastNow } from "../../testing/ingestDrops";
import { answerRows, randomChanges, randomKept, seededRandom } from "../../testing/keptParts";
import { keptReadStats } from "../keptReads";
import { baselinePaths } from "./baselinePaths";
import { getStagePathCounts, pathKey, type StagePathNumbers } from "./getStagePathCounts";
import type { Policies } from "./policyGroups";
import { getBaselinePaths } from "./sealedPathCounts";

/** The answers the baseline's rows give, one row at a time (what health worked out at every poll before). */
function reference(rows: readonly StagePathNumbers[], claims: (policies: Policies) => boolean, excluded: ReadonlyMap<string, unknown>) {
  const counted = rows.filter((row) => row.count > 0);
  return {
    seen: new Set(counted.map(pathKey)),
    dropped: new Set(counted.filter((row) => row.dropped > 0).map(pathKey)),
    drops: counted.filter((row) => claims(row.policies) && !excluded.has(pathKey(row))).reduce((sum, row) => sum + row.count, 0),
  };
}

describe("baselinePaths", () => {
  it("answers what the baseline's rows answer, through late counts, restated policies and exceptions, poll after poll (random parts)", () => {
    const random = seededRandom(11);
    const claimsOf = [(p: Policies) => attributePath(p ?? [], ["mine"]) !== "other-policies", () => true, (p: Policies) => p === null];
    for (let trial = 0; trial < 100; trial++) {
      const size = 1 + Math.floor(random() * 30);
      const kept = randomKept(random, size);
      // Several polls of one kept read: what is derived from its rows once serves each.
      for (let poll = 0; poll < 3; poll++) {
        const parts = randomChanges(random, size, kept);
        const rows = answerRows(parts);
        const baseline = baselinePaths(parts);
        const expected = reference(rows, () => true, new Map());
        for (let id = 0; id <= size; id++) {
          const key = `c/${id}`;
          expect([baseline.seen(key), baseline.dropped(key)], `trial ${trial}, poll ${poll}, ${key}`).toEqual([expected.seen.has(key), expected.dropped.has(key)]);
        }
        const excluded = new Map([...Array(size + 1).keys()].filter(() => random() < 0.2).map((id) => [`c/${id}`, true]));
        for (const claims of claimsOf) expect(baseline.drops(claims, excluded), `trial ${trial}, poll ${poll}`).toBe(reference(rows, claims, excluded).drops);
      }
    }
  });

  it("works the kept rows out once per kept read", () => {
    const kept = new Map([["c/1", { cluster: "c", id: "1", count: 3, dropped: 3, audit: 0, other: 0, before_split: 3, policies: null }]]);
    const first = baselinePaths({ kept, restated: new Map(), fresh: new Map() });
    expect(first.drops(() => true, new Map())).toBe(3);
    // Kept rows are never changed (keptReads.ts): a change here is seen only if worked out again.
    kept.set("c/2", { cluster: "c", id: "2", count: 4, dropped: 0, audit: 4, other: 0, before_split: 4, policies: null });
    const again = baselinePaths({ kept, restated: new Map(), fresh: new Map() });
    expect([again.drops(() => true, new Map()), again.seen("c/2")]).toEqual([3, false]);
  });
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const every = { namespaces: [], classes: [] };
// A "now" in the past, half past an hour (pastNow says why).
const { now, ingest } = pastNow(13);

describe("the kept baseline", () => {
  it("answers what a fresh read of the window answers, through late records, compaction and a policy named later", async () => {
    const cluster = uniqueCluster("baseline");
    await ingest(cluster, [
      ...Array.from({ length: 24 }, (_, i) => ({ to: `w${i % 4}`, minutesAgo: 200 + i * 5, verdict: i % 4 === 0 ? ("DROPPED" as const) : ("AUDIT" as const) })),
      { to: "denied", minutesAgo: 230, policies: ["deny-denied"] },
      { to: "conntrack", minutesAgo: 240, reason: "CT_MAP_INSERTION_FAILED" },
    ]);
    await compactRollups();
    const range = { from: new Date(now.getTime() - 6 * HOUR), to: new Date(now.getTime() - 2 * HOUR) };
    const claims = (policies: Policies) => attributePath(policies ?? [], ["deny-w1"]) !== "other-policies";
    const compare = async (excluded: ReadonlyMap<string, unknown>) => {
      const baseline = await getBaselinePaths(range, [cluster], every, now);
      const rows = await getStagePathCounts(range, [cluster], every);
      const expected = reference(rows, claims, excluded);
      const keys = [...rows.map(pathKey), `${cluster}/0`];
      expect(keys.map((key) => [key, baseline.seen(key), baseline.dropped(key)])).toEqual(keys.map((key) => [key, expected.seen.has(key), expected.dropped.has(key)]));
      expect(baseline.drops(claims, excluded)).toBe(expected.drops);
      return { rows, drops: expected.drops };
    };

    const first = await compare(new Map());
    // The conntrack drop is another reason: its path counts no policy-reason drop. "denied" is another policy's.
    expect(first.rows.filter((row) => row.count > 0)).toHaveLength(5);
    expect(first.drops).toBe(24);
    const w1 = pathKey(first.rows.find((row) => row.dst_workload === "w1")!);
    expect((await getBaselinePaths(range, [cluster], every, now)).dropped(w1)).toBe(false);

    const reused = keptReadStats.reused;
    // Late records (pending: read now, beside the kept rows): w1, seen only as AUDIT, now dropped too, and a
    // new path; and w2 naming another policy now (restated: out of the budget).
    await ingest(cluster, [{ to: "w1", minutesAgo: 190 }, { to: "late", minutesAgo: 195 }, { to: "w2", minutesAgo: 1, policies: ["deny-other"] }]);
    const late = await compare(new Map());
    expect(late.drops).toBe(24 + 2 - 6);
    expect((await getBaselinePaths(range, [cluster], every, now)).dropped(w1)).toBe(true);
    expect(keptReadStats.reused).toBe(reused + 2);

    // An exception on a path in the budget takes its drops out.
    const excepted = late.rows.find((row) => row.count > 0 && claims(row.policies))!;
    expect((await compare(new Map([[pathKey(excepted), true]]))).drops).toBe(20 - excepted.count);
    await compactRollups();
    expect((await compare(new Map())).drops).toBe(20);
  });
});
