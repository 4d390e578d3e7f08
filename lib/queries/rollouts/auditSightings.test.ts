// Health's predictions: the kept AUDIT sightings answer, path by path and in counts, what a fresh
// read of the window answers, through late records and policies named after the read; and the
// parts (kept, restated, read now) combine as readKept combines rows.
import { describe, expect, it, vi } from "vitest";
import { compactRollups } from "../../ingest/compact";
import { uniqueCluster } from "../../testing/db";
import { pastNow } from "../../testing/ingestDrops";
import { keptReadStats } from "../keptReads";
import { auditSightings } from "./auditSightings";
import { getStagePathCounts, pathKey, readStagePathNumbers, type AuditSighting, type StagePathNumbers } from "./getStagePathCounts";
import { getAuditSightings, getRecentAuditNumbers } from "./sealedPathCounts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const every = { namespaces: [], classes: [] };
// A "now" in the past, half past an hour (pastNow says why).
const { now, ingest } = pastNow(12);
const names = (policies: readonly string[] | null | undefined) => (policies === undefined ? undefined : [...(policies ?? [])].sort().join(","));


/** The kept sightings and a fresh read of the window's AUDIT paths, as comparable maps. */
async function both(cluster: string, range: { from: Date; to: Date }) {
  const sightings = await getAuditSightings(range, [cluster], every, now);
  const fresh = (await getStagePathCounts(range, [cluster], every, { auditOnly: true })).filter((row) => row.audit > 0);
  const inWindow = await getStagePathCounts(range, [cluster], every);
  return {
    kept: Object.fromEntries(inWindow.map((row) => [pathKey(row), names(sightings.policiesOf(pathKey(row)))])),
    fresh: Object.fromEntries(inWindow.map((row) => [pathKey(row), names(fresh.find((f) => pathKey(f) === pathKey(row))?.policies)])),
    counts: [sightings.countWhere(() => true), sightings.countWhere((p) => (p ?? []).length === 0)],
    freshCounts: [fresh.length, fresh.filter((row) => (row.policies ?? []).length === 0).length],
  };
}

describe("kept AUDIT sightings", () => {
  it("answer what a fresh read answers through late records, compaction and a policy named later", async () => {
    const cluster = uniqueCluster("sightings");
    await ingest(cluster, [
      ...Array.from({ length: 24 }, (_, i) => ({ to: `w${i % 4}`, minutesAgo: 200 + i * 5, verdict: i % 3 === 0 ? ("DROPPED" as const) : ("AUDIT" as const) })),
      { to: "dropped-only", minutesAgo: 230 },
      { to: "conntrack", minutesAgo: 240, verdict: "AUDIT", reason: "CT_MAP_INSERTION_FAILED" },
    ]);
    await compactRollups();
    // A window that ended two hours ago, as a stage's lookback does.
    const range = { from: new Date(now.getTime() - 6 * HOUR), to: new Date(now.getTime() - 2 * HOUR) };
    const first = await both(cluster, range);
    expect(first.kept).toEqual(first.fresh);
    expect(first.counts).toEqual(first.freshCounts);
    expect(first.counts[0]).toBe(4);
    expect(Object.values(first.kept).filter((p) => p === undefined)).toHaveLength(2);

    const reused = keptReadStats.reused;
    // A late AUDIT record on a new path in a kept hour (pending, then compacted), and a kept path naming a policy now.
    await ingest(cluster, [{ to: "late", minutesAgo: 190, verdict: "AUDIT" }, { to: "w1", minutesAgo: 1, verdict: "AUDIT", policies: ["deny-w1"] }]);
    const pending = await both(cluster, range);
    expect(pending.kept).toEqual(pending.fresh);
    expect(pending.counts).toEqual(pending.freshCounts);
    expect(pending.counts).toEqual([5, 4]);
    expect(keptReadStats.reused).toBe(reused + 1);
    await compactRollups();
    const compacted = await both(cluster, range);
    expect(compacted.kept).toEqual(compacted.fresh);
    expect(compacted.counts).toEqual([5, 4]);
  });
});

describe("kept sightings over time", () => {
  it("stay in use while no policy changes, past the age a kept read is read again at", async () => {
    const cluster = uniqueCluster("sightings-age");
    await ingest(cluster, [{ to: "a", minutesAgo: 200, verdict: "AUDIT" }, { to: "b", minutesAgo: 210, verdict: "AUDIT" }]);
    await compactRollups();
    const range = { from: new Date(now.getTime() - 6 * HOUR), to: new Date(now.getTime() - 2 * HOUR) };
    const started = Date.now();
    const clock = vi.spyOn(Date, "now");
    try {
      expect((await getAuditSightings(range, [cluster], every, now)).countWhere(() => true)).toBe(2);
      const { read, reused } = keptReadStats;
      // 40 then 80 minutes on: the kept read is 80 minutes old, but its facts were found current at 40.
      for (const minutes of [40, 80]) {
        clock.mockReturnValue(started + minutes * MINUTE);
        expect((await getAuditSightings(range, [cluster], every, now)).countWhere(() => true)).toBe(2);
      }
      expect([keptReadStats.read, keptReadStats.reused]).toEqual([read, reused + 2]);
      // A policy named since: restated, and the read then ages out as before (read again at 160).
      await ingest(cluster, [{ to: "a", minutesAgo: 1, verdict: "AUDIT", policies: ["deny-a"] }]);
      clock.mockReturnValue(started + 120 * MINUTE);
      expect((await getAuditSightings(range, [cluster], every, now)).countWhere((p) => (p ?? []).includes("deny-a"))).toBe(1);
      clock.mockReturnValue(started + 160 * MINUTE);
      expect((await getAuditSightings(range, [cluster], every, now)).countWhere((p) => (p ?? []).includes("deny-a"))).toBe(1);
      expect(keptReadStats.read).toBe(read + 1);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("pre-flight's recent AUDIT numbers", () => {
  const byPath = (rows: readonly StagePathNumbers[]) => Object.fromEntries(rows.map((r) => [pathKey(r), [r.count, r.audit, (r.policies ?? []).join(",")]]));

  it("add the minutes before the first whole hour to the kept hours, and stay exact through late records", async () => {
    const cluster = uniqueCluster("recent-audit");
    // Sightings in the ragged first minutes of the window, in kept hours, and in the last hour.
    await ingest(cluster, Array.from({ length: 30 }, (_, i) => ({ to: `w${i % 6}`, minutesAgo: 5 + i * 11, verdict: "AUDIT" as const })));
    await compactRollups();
    const range = { from: new Date(now.getTime() - 5 * HOUR - 17 * MINUTE - 3_000), to: now };
    const fresh = async () => byPath(await readStagePathNumbers(range, [cluster], every, { auditOnly: true }));
    const first = byPath(await getRecentAuditNumbers(range, [cluster], every, now));
    expect(Object.keys(first)).toHaveLength(6);
    expect(first).toEqual(await fresh());

    const reused = keptReadStats.reused;
    await ingest(cluster, [{ to: "w2", minutesAgo: 150, verdict: "AUDIT" }, { to: "lead", minutesAgo: 5 * 60 + 10, verdict: "AUDIT" }]);
    const late = byPath(await getRecentAuditNumbers(range, [cluster], every, now));
    expect(late).toEqual(await fresh());
    expect(late).not.toEqual(first);
    expect(keptReadStats.reused).toBe(reused + 1);

    // From on an hour (no minutes before it), under an hour (no whole hour), and past the kept length: read whole.
    for (const other of [{ from: new Date(now.getTime() - 3 * HOUR - 30 * MINUTE), to: now }, { from: new Date(now.getTime() - 20 * MINUTE), to: now }, { from: new Date(now.getTime() - 50 * HOUR), to: now }]) {
      expect(byPath(await getRecentAuditNumbers(other, [cluster], every, now))).toEqual(byPath(await readStagePathNumbers(other, [cluster], every, { auditOnly: true })));
    }
  });
});

describe("auditSightings", () => {
  const row = (id: string, policies: string[] | null): AuditSighting => ({ cluster: "c", id, policies });
  const kept = new Map([["c/1", row("1", null)], ["c/2", row("2", ["a"])], ["c/3", row("3", ["b"])]]);

  it("take a path's policies from the row read now, else as restated, else as kept", () => {
    const sightings = auditSightings({
      kept,
      restated: new Map([["c/2", { policies: ["a", "b"] }], ["c/9", { policies: ["z"] }], ["c/3", { policies: ["b2"] }]]),
      fresh: new Map([["c/3", row("3", ["c"])], ["c/4", row("4", [])]]),
    });
    expect([1, 2, 3, 4, 9].map((id) => sightings.policiesOf(`c/${id}`))).toEqual([null, ["a", "b"], ["c"], [], undefined]);
  });

  it("count every sighted path once, by its policies now", () => {
    const restated = new Map([["c/2", { policies: ["b"] }], ["c/9", { policies: ["b"] }]]);
    const fresh = new Map([["c/3", row("3", ["a"])], ["c/4", row("4", ["b"])]]);
    const sightings = auditSightings({ kept, restated, fresh });
    const names = [1, 2, 3, 4, 9].map((id) => sightings.policiesOf(`c/${id}`));
    for (const claims of [() => true, (p: readonly string[] | null) => p?.includes("b") ?? false, (p: readonly string[] | null) => p === null, (p: readonly string[] | null) => p?.includes("a") ?? false]) {
      expect(sightings.countWhere(claims)).toBe(names.filter((p) => p !== undefined && claims(p)).length);
    }
    // Nothing changed: the kept rows' counts alone (worked out once per kept read).
    expect(auditSightings({ kept, restated: new Map(), fresh: new Map() }).countWhere(() => true)).toBe(3);
  });
});
