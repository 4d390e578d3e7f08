// Integration: rollout health's reads that keep a stage's finished hours answer exactly what a
// fresh read of every count answers, through everything that can change those hours: late
// records (pending, then compacted), a path naming a policy after it was read (uncredited, then
// credited), and retention deleting old counts.
import { describe, expect, it } from "vitest";
import { getPool } from "../../db/pool";
import { compactRollups } from "../../ingest/compact";
import { applyRetention } from "../../ingest/retention";
import { uniqueCluster } from "../../testing/db";
import { pastNow } from "../../testing/ingestDrops";
import { readQuery } from "../readPool";
import { getStagePathCounts, otherReasonsQuery, type ReasonCount, type StagePathNumbers } from "./getStagePathCounts";
import { keptReadStats } from "../keptReads";
import { getOtherReasonsInScope, getStagePathNumbers } from "./sealedPathCounts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const every = { namespaces: [], classes: [] };
// Health's "now" eleven days back (pastNow says why).
const { now, ingest } = pastNow(11);

const byPath = (rows: readonly StagePathNumbers[]) =>
  Object.fromEntries(rows.map((r) => [`${r.cluster}/${r.id}`, [r.count, r.dropped, r.audit, r.other, r.before_split, [...(r.policies ?? [])].sort().join(",")]]));

/** The kept read and a fresh read of every count, side by side. */
async function both(cluster: string, range: { from: Date; to: Date }, splitAt?: Date) {
  const kept = byPath(await getStagePathNumbers(range, [cluster], every, { splitAt }, now));
  const fresh = byPath(await getStagePathCounts(range, [cluster], every, { splitAt }));
  return { kept, fresh };
}

describe("kept stage hours", () => {
  it("reuse finished hours and stay exact through late records, compaction and new policies", async () => {
    const cluster = uniqueCluster("kept");
    await ingest(cluster, [
      ...Array.from({ length: 40 }, (_, i) => ({ to: `w${i % 5}`, minutesAgo: 10 + i * 7, verdict: i % 4 === 0 ? ("AUDIT" as const) : ("DROPPED" as const) })),
      { to: "w1", minutesAgo: 200, reason: "CT_MAP_INSERTION_FAILED" },
    ]);
    await compactRollups();
    const range = { from: new Date(now.getTime() - 5 * HOUR), to: now };
    const split = new Date(now.getTime() - 2 * MINUTE);

    const read = keptReadStats.read;
    const first = await both(cluster, range, split);
    expect(Object.keys(first.kept)).toHaveLength(5);
    expect(first.kept).toEqual(first.fresh);
    expect(keptReadStats.read).toBe(read + 1);

    const reused = keptReadStats.reused;
    expect((await both(cluster, range, split)).kept).toEqual(first.fresh);
    expect(keptReadStats.reused).toBe(reused + 1);

    // Late records for kept hours, on a kept path and on a new one: pending, then compacted.
    await ingest(cluster, [{ to: "w2", minutesAgo: 190 }, { to: "late", minutesAgo: 185, verdict: "AUDIT" }]);
    const pending = await both(cluster, range, split);
    expect(pending.kept).toEqual(pending.fresh);
    expect(pending.kept).not.toEqual(first.fresh);
    await compactRollups();
    const compacted = await both(cluster, range, split);
    expect(compacted.kept).toEqual(compacted.fresh);
    expect(compacted.kept).toEqual(pending.kept);
  });

  it("take a policy a kept path names later, before and after the compactor credits it", async () => {
    const cluster = uniqueCluster("kept-policy");
    await ingest(cluster, Array.from({ length: 20 }, (_, i) => ({ to: `w${i % 3}`, minutesAgo: 180 + i * 5 })));
    await compactRollups();
    // A window that ended two hours ago: what names the policy now is outside it.
    const range = { from: new Date(now.getTime() - 5 * HOUR), to: new Date(now.getTime() - 2 * HOUR) };
    const before = await both(cluster, range);
    expect(before.kept).toEqual(before.fresh);

    await ingest(cluster, [{ to: "w1", minutesAgo: 1, policies: ["deny-w1"] }]);
    const reused = keptReadStats.reused;
    const uncredited = await both(cluster, range);
    expect(uncredited.kept).toEqual(uncredited.fresh);
    expect(Object.values(uncredited.kept).map((row) => row[5])).toContain("deny-w1");
    await compactRollups();
    const credited = await both(cluster, range);
    expect(credited.kept).toEqual(credited.fresh);
    expect(keptReadStats.reused).toBe(reused + 2);
  });

  it("read again after retention deletes counts", async () => {
    const cluster = uniqueCluster("kept-retention");
    await ingest(cluster, Array.from({ length: 12 }, (_, i) => ({ to: `w${i % 2}`, minutesAgo: 30 + i * 20 })));
    await compactRollups();
    const range = { from: new Date(now.getTime() - 5 * HOUR), to: now };
    await both(cluster, range);
    const read = keptReadStats.read;
    // Something for retention to delete (nothing else writes this far back: retention.test.ts).
    await getPool().query(
      `INSERT INTO drop_path_hour (bucket, cluster, drop_path_id, verdict, reason, count) VALUES (date_trunc('hour', $1::timestamptz), $2, 1, 'DROPPED', 'POLICY_DENIED', 3)`,
      [new Date(Date.now() - 401 * 24 * HOUR), cluster],
    );
    expect((await applyRetention(new Date(), { rawDays: 14, rollupDays: 400 }))?.deletedRollupRows).toBeGreaterThan(0);
    const after = await both(cluster, range);
    expect(after.kept).toEqual(after.fresh);
    expect(keptReadStats.read).toBe(read + 1);
  });

  it("stay exact while a retention pass is between its rollup deletes and its generation bump", async () => {
    const cluster = uniqueCluster("kept-retention-race");
    await ingest(cluster, [{ to: "old", minutesAgo: 30 }]);
    await compactRollups();
    const { rows } = await getPool().query<{ id: string }>("SELECT id::text AS id FROM drop_paths WHERE cluster = $1", [cluster]);
    const id = rows[0]!.id;
    // Counts 401 days back (behind a 400-day retention), as the compactor would have written them.
    const old = new Date(Date.now() - 401 * 24 * HOUR);
    for (const [table, trunc] of [["drop_path_minute", "minute"], ["drop_path_hour", "hour"], ["drop_path_day", "day"]] as const) {
      await getPool().query(
        `INSERT INTO ${table} (bucket, cluster, drop_path_id, verdict, reason, count) VALUES (date_trunc('${trunc}', $1::timestamptz, 'UTC'), $2, $3, 'DROPPED', 'POLICY_DENIED', 5)`,
        [old, cluster, id],
      );
    }
    const range = { from: new Date(Date.now() - 402 * 24 * HOUR), to: new Date(Date.now() - 399 * 24 * HOUR) };
    const first = await both(cluster, range);
    expect(first.kept).toEqual(first.fresh);
    expect(Object.values(first.kept)[0]?.[0]).toBe(5);

    // Another session holds drop_policy_minute (SHARE: readers pass), so the real retention pass
    // commits its drop_path_* deletes (autocommit, one statement each) and then waits, before the bump.
    const blocker = await getPool().connect();
    let retention: Promise<unknown> | null = null;
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE drop_policy_minute IN SHARE MODE");
      retention = applyRetention(new Date(), { rawDays: 14, rollupDays: 400 });
      for (let i = 0; i < 200; i++) {
        const waiting = await getPool().query(
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM drop_policy_minute%'",
        );
        if (waiting.rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const during = await both(cluster, range);
      expect(during.kept).toEqual(during.fresh);
    } finally {
      await blocker.query("COMMIT").catch(() => undefined);
      blocker.release();
      await retention;
    }
    const read = keptReadStats.read;
    const after = await both(cluster, range);
    expect(after.fresh).toEqual({});
    expect(after.kept).toEqual(after.fresh);
    expect(keptReadStats.read).toBe(read + 1);
  });

  it("grow by the hours that finish, taking policies named since", async () => {
    const cluster = uniqueCluster("kept-grow");
    await ingest(cluster, [...Array.from({ length: 30 }, (_, i) => ({ to: `w${i % 3}`, minutesAgo: 70 + i * 7 })), { to: "early", minutesAgo: 280 }]);
    await compactRollups();
    const range = { from: new Date(now.getTime() - 5 * HOUR), to: new Date(now.getTime() - HOUR) };
    // Polled three hours ago (as of then, the window's last hours were not finished)...
    const then = new Date(now.getTime() - 3 * HOUR);
    const kept = byPath(await getStagePathNumbers(range, [cluster], every, {}, then));
    expect(kept).toEqual(byPath(await getStagePathCounts(range, [cluster], every)));
    // ...and now, after a path dropped only in the kept hours named a policy (outside the window).
    await ingest(cluster, [{ to: "early", minutesAgo: 1, policies: ["deny-early"] }]);
    const extended = keptReadStats.extended;
    const grown = await both(cluster, range);
    expect(grown.kept).toEqual(grown.fresh);
    expect(keptReadStats.extended).toBe(extended + 1);
    expect(Object.values(grown.kept).map((row) => row[5])).toContain("deny-early");
    await compactRollups();
    const credited = await both(cluster, range);
    expect(credited.kept).toEqual(credited.fresh);
  });

  it("keep the other reasons in scope the same way, exact through late records", async () => {
    const cluster = uniqueCluster("kept-reasons");
    const shop = { namespaces: ["shop"], classes: [] };
    const fresh = async (range: { from: Date; to: Date }) => {
      const { sql, values } = otherReasonsQuery(range, [cluster], shop, "live");
      return (await readQuery<ReasonCount>(sql, values)).rows.sort((a, b) => b.drops - a.drops || (a.reason < b.reason ? -1 : 1));
    };
    await ingest(cluster, [
      ...Array.from({ length: 6 }, (_, i) => ({ to: `w${i}`, minutesAgo: 40 + i * 30, reason: i % 2 ? "CT_MAP_INSERTION_FAILED" : "STALE_OR_UNROUTABLE_IP" })),
      { to: "w9", minutesAgo: 100 },
    ]);
    await compactRollups();
    const range = { from: new Date(now.getTime() - 5 * HOUR), to: now };
    const first = await getOtherReasonsInScope(range, [cluster], shop, now);
    expect(first).toEqual(await fresh(range));
    expect(first.map((r) => r.drops)).toEqual([3, 3]);
    // Late records in kept hours, in scope and out of it (still pending, then compacted).
    await ingest(cluster, [{ to: "w1", minutesAgo: 200, reason: "CT_MAP_INSERTION_FAILED" }, { to: "w1", minutesAgo: 210, reason: "CT_MAP_INSERTION_FAILED", ns: "other" }]);
    expect(await getOtherReasonsInScope(range, [cluster], shop, now)).toEqual(await fresh(range));
    await compactRollups();
    const after = await getOtherReasonsInScope(range, [cluster], shop, now);
    expect(after).toEqual(await fresh(range));
    expect(after[0]).toEqual({ reason: "CT_MAP_INSERTION_FAILED", drops: 4 });
  });

  it("keep one entry per window, not one per window and hour", async () => {
    const cluster = uniqueCluster("kept-leak");
    await ingest(cluster, [{ to: "w", minutesAgo: 90 }]);
    await compactRollups();
    const holder = globalThis as unknown as { dropboardKeptReads: Map<string, unknown> };
    const from = new Date(now.getTime() - 3 * HOUR);
    const sizeBefore = holder.dropboardKeptReads.size;
    // One stage polled for two days: sealedEnd (in the memo key) moves every hour.
    for (let hour = 0; hour < 48; hour++) {
      const at = new Date(now.getTime() + hour * HOUR);
      await getStagePathNumbers({ from, to: at }, [cluster], every, {}, at);
    }
    // One entry per window, grown hour by hour (review of d0ff928: one per window and hour, kept forever).
    expect(holder.dropboardKeptReads.size - sizeBefore).toBeLessThanOrEqual(1);
  });
});

describe("kept stage hours of windows that ended off a whole minute", () => {
  it("do not count the minute holding a kept read's end twice when another caller of the same key reads further", async () => {
    const cluster = uniqueCluster("kept-ragged-end");
    // Drops in the minute that holds both windows' ends (7 s into it: ago()), and before it.
    await ingest(cluster, [{ to: "w", minutesAgo: 120 }, { to: "w", minutesAgo: 120 }, { to: "w", minutesAgo: 200 }]);
    await compactRollups();
    const from = new Date(now.getTime() - 5 * HOUR);
    const minute = new Date(now.getTime() - 120 * MINUTE);
    // Two stages of the same start, clusters and scope (two rollouts driven together) that ended in
    // the same minute, seconds apart: health passes splitAt = floor(end), so one key serves both.
    const first = { from, to: new Date(minute.getTime() + 30_000) };
    const second = { from, to: new Date(minute.getTime() + 45_000) };
    const a = await both(cluster, first, minute);
    expect(a.kept).toEqual(a.fresh);
    const b = await both(cluster, second, minute);
    expect(b.kept).toEqual(b.fresh);
  });

  it("do not count it twice when the same window is later read to a later end (no split)", async () => {
    const cluster = uniqueCluster("kept-ragged-later");
    await ingest(cluster, [{ to: "w", minutesAgo: 120 }, { to: "w", minutesAgo: 200 }, { to: "w", minutesAgo: 90 }]);
    await compactRollups();
    const from = new Date(now.getTime() - 5 * HOUR);
    const first = { from, to: new Date(now.getTime() - 120 * MINUTE + 30_000) };
    const later = { from, to: new Date(now.getTime() - 60 * MINUTE) };
    const a = await both(cluster, first);
    expect(a.kept).toEqual(a.fresh);
    const b = await both(cluster, later);
    expect(b.kept).toEqual(b.fresh);
  });
});
