// Integration: a chart's counts per bucket with its finished hours kept between calls answer what a
// fresh read of the minute rollups answers, through late records (pending, then compacted), hours
// that finish between polls, and steps whose buckets straddle the kept hours' end.
import { describe, expect, it } from "vitest";
import { compactRollups } from "../../ingest/compact";
import { uniqueCluster } from "../../testing/db";
import { ingestDrops, pastNow } from "../../testing/ingestDrops";
import { keptReadStats } from "../keptReads";
import { readQuery } from "../readPool";
import { STEPS, type Step, type TimeRange } from "../timeRange";
import { getDropSeries, shapeSeries } from "./getDropSeries";
import type { SeriesGroup } from "./seriesGroups";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Eleven days back, half past an hour (pastNow says why).
const { now, ago } = pastNow(11);

/** The same series from the minute rollups (a table kept reads never use), shaped the same way. */
async function fresh(cluster: string, range: TimeRange, step: Step, groupBy: SeriesGroup) {
  const column = groupBy === "verdict" ? "verdict::text" : groupBy;
  const { rows } = await readQuery<{ t: Date; key: string; count: number }>(
    `SELECT date_bin($4::interval, bucket, TIMESTAMPTZ 'epoch') AS t, ${column} AS key, sum(count)::float8 AS count
     FROM live_drop_rollup_minute WHERE cluster = $1 AND bucket >= $2 AND bucket < $3 GROUP BY 1, 2`,
    [cluster, range.from, range.to, `${STEPS[step]} seconds`],
  );
  return shapeSeries(rows, range, step, 50);
}

/** The kept read answers what a fresh read does, and holds `total` drops. */
async function expectExact(cluster: string, range: TimeRange, step: Step, groupBy: SeriesGroup, total: number) {
  const kept = await getDropSeries({ ...range, step, groupBy, limit: 50, cluster: [cluster] }, now);
  expect(kept).toEqual(await fresh(cluster, { from: new Date(kept.from), to: new Date(kept.to) }, step, groupBy));
  expect(kept.total).toBe(total);
}

describe("kept chart hours", () => {
  it("reuse finished hours and stay exact through late records and their compaction", async () => {
    const cluster = uniqueCluster("kept-series");
    await ingestDrops(cluster, Array.from({ length: 36 }, (_, i) => ({ to: `w${i % 4}`, ns: i % 3 ? "shop" : "cart", at: ago(5 + i * 9) })));
    await compactRollups();
    // One still pending in a finished hour when it is first read: counted once, not kept.
    await ingestDrops(cluster, [{ to: "w9", ns: "shop", at: ago(100) }]);
    const range = { from: new Date(now.getTime() - 6 * HOUR), to: now };
    const read = keptReadStats.read;
    await expectExact(cluster, range, "15m", "namespace", 37);
    expect(keptReadStats.read).toBe(read + 1);

    const reused = keptReadStats.reused;
    await expectExact(cluster, range, "15m", "namespace", 37);
    expect(keptReadStats.reused).toBe(reused + 1);

    // A late record in a kept hour: counted while pending, and after the compactor moves it.
    await ingestDrops(cluster, [{ to: "late", ns: "cart", at: ago(200) }]);
    await expectExact(cluster, range, "15m", "namespace", 38);
    await compactRollups();
    const reread = keptReadStats.read;
    await expectExact(cluster, range, "15m", "namespace", 38);
    expect(keptReadStats.read).toBe(reread + 1);
  });

  it("grow by the hours that finish, adding up 2 h buckets that straddle the kept end", async () => {
    const cluster = uniqueCluster("kept-grow-series");
    await ingestDrops(cluster, Array.from({ length: 40 }, (_, i) => ({ to: `w${i % 3}`, verdict: i % 4 ? ("DROPPED" as const) : ("AUDIT" as const), at: ago(3 + i * 13) })));
    await compactRollups();
    const range = { from: new Date(now.getTime() - 10 * HOUR), to: now };
    // Polled three hours ago (its kept hours then ended three hours earlier than now's)...
    await getDropSeries({ ...range, step: "2h", groupBy: "verdict", limit: 50, cluster: [cluster] }, new Date(now.getTime() - 3 * HOUR));
    const extended = keptReadStats.extended;
    await expectExact(cluster, range, "2h", "verdict", 40);
    expect(keptReadStats.extended).toBe(extended + 1);
    // ...and a late record in an hour kept since, still pending.
    await ingestDrops(cluster, [{ to: "late", verdict: "AUDIT", at: ago(150) }]);
    await expectExact(cluster, range, "2h", "verdict", 41);
    await compactRollups();
  });

  it("read day steps whole: a day's rollup rows straddle any kept hour", async () => {
    const cluster = uniqueCluster("kept-days");
    await ingestDrops(cluster, [{ to: "w", at: ago(60) }, { to: "w", at: ago(3 * 24 * 60) }]);
    await compactRollups();
    const stats = { ...keptReadStats };
    const range = { from: new Date(now.getTime() - 5 * 24 * HOUR), to: now };
    await expectExact(cluster, range, "1d", "namespace", 2);
    expect(keptReadStats).toEqual(stats);
  });
});
