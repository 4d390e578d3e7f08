// Integration: rollout health's reads that keep a stage's finished hours answer exactly what a
// fresh read of every count answers, through everything that can change those hours: late
// records (pending, then compacted), a path naming a policy after it was read (uncredited, then
// credited), and retention deleting old counts.
import { describe, expect, it } from "vitest";
import { getPool } from "../../db/pool";
import { compactRollups } from "../../ingest/compact";
import { ingestRecords } from "../../ingest/pipeline";
import { applyRetention } from "../../ingest/retention";
import { uniqueCluster } from "../../testing/db";
import { getStagePathCounts, type StagePathNumbers } from "./getStagePathCounts";
import { getStagePathNumbers, keptReadStats } from "./sealedPathCounts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const every = { namespaces: [], classes: [] };
const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE + 7_000);

let key = 0;
async function ingest(cluster: string, drops: { to: string; minutesAgo: number; verdict?: "DROPPED" | "AUDIT"; policies?: string[]; reason?: string }[]) {
  const records = drops.map((d, i) => ({
    line: i + 1,
    value: {
      format: "native", time: ago(d.minutesAgo).toISOString(), cluster, verdict: d.verdict ?? "DROPPED", direction: "INGRESS", srcNamespace: "web",
      srcWorkload: "frontend", dstNamespace: "shop", dstWorkload: d.to, dstPort: 8080, protocol: "TCP", key: `k${key++}`,
      ...(d.policies ? { policies: d.policies } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
    },
  }));
  const result = await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: true, now: new Date() });
  expect(result.rejected).toEqual([]);
}

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
});
