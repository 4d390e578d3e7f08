// Integration: compaction moves counts from pending into rollups without changing any total,
// even while batches keep arriving.
import { describe, expect, it } from "vitest";
import { getPool } from "../db/pool";
import { getDropSeries } from "../queries/drops/getDropSeries";
import { getTopDropPaths } from "../queries/drops/getTopDropPaths";
import { uniqueCluster } from "../testing/db";
import { hubbleFlow, toNdjson } from "../testing/hubbleFlows";
import { compactRollups } from "./compact";
import { ingestRecords } from "./pipeline";
import { splitRecords } from "./records";

const now = Date.now();
const range = { from: new Date(now - 3 * 3_600_000), to: new Date(now + 60_000) };

function batch(cluster: string, n: number, offset: number) {
  return toNdjson(
    Array.from({ length: n }, (_, i) =>
      hubbleFlow({
        time: new Date(now - ((offset + i) % 150) * 60_000),
        cluster,
        srcNamespace: "web",
        srcWorkload: `w${i % 4}`,
        dstNamespace: i % 2 ? "db" : "payments",
        dstWorkload: "api",
        dstPort: 443,
      }),
    ),
  );
}

async function totals(cluster: string) {
  const minute = await getDropSeries({ ...range, step: "5m", groupBy: "namespace", limit: 50, cluster: [cluster] });
  const hour = await getDropSeries({ ...range, step: "1h", groupBy: "namespace", limit: 50, cluster: [cluster] });
  const paths = await getTopDropPaths({ ...range, limit: 100, cluster: [cluster] });
  return { minute: minute.total, hour: hour.total, paths: paths.reduce((sum, p) => sum + p.count, 0) };
}

const ingest = (body: string) => ingestRecords(splitRecords(body), { format: "auto", tokenCluster: null, atomic: false, now: new Date() });

describe("rollup compaction", () => {
  it("moves pending counts into rollups and changes no total", async () => {
    const cluster = uniqueCluster("compact");
    expect((await ingest(batch(cluster, 400, 0))).accepted).toBe(400);
    const pendingBefore = await getPool().query("SELECT count(*)::int AS n FROM drop_counts_pending WHERE cluster = $1", [cluster]);
    expect(pendingBefore.rows[0].n).toBeGreaterThan(0);
    expect(await totals(cluster)).toEqual({ minute: 400, hour: 400, paths: 400 });

    await compactRollups();
    const pendingAfter = await getPool().query("SELECT count(*)::int AS n FROM drop_counts_pending WHERE cluster = $1", [cluster]);
    expect(pendingAfter.rows[0].n).toBe(0);
    expect(await totals(cluster)).toEqual({ minute: 400, hour: 400, paths: 400 });

    // Later drops for the same minutes and paths add to the compacted rows.
    expect((await ingest(batch(cluster, 300, 1000))).accepted).toBe(300);
    await compactRollups();
    expect(await totals(cluster)).toEqual({ minute: 700, hour: 700, paths: 700 });
  });

  it("stays exact when compactions run while batches arrive", async () => {
    const cluster = uniqueCluster("race");
    const writes = Array.from({ length: 6 }, (_, i) => ingest(batch(cluster, 200, i * 200)));
    const compactions = Array.from({ length: 6 }, () => compactRollups());
    const results = await Promise.all(writes);
    await Promise.all(compactions);
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(1200);
    expect(await totals(cluster)).toEqual({ minute: 1200, hour: 1200, paths: 1200 });
    await compactRollups();
    expect(await totals(cluster)).toEqual({ minute: 1200, hour: 1200, paths: 1200 });
  });
});

describe("every rollup granularity agrees", () => {
  it("counts the same over ranges that cut days, hours and minutes, before and after compaction", async () => {
    const cluster = uniqueCluster("days");
    // Four days back: the drops' last day must be over at any time of day (ingest refuses the future).
    const dayStart = Math.floor(now / 86_400_000) * 86_400_000 - 4 * 86_400_000;
    // One drop every 37 minutes for three days, starting at 23:50 five days ago.
    const records = Array.from({ length: 120 }, (_, i) =>
      hubbleFlow({ time: new Date(dayStart - 10 * 60_000 + i * 37 * 60_000), cluster, srcNamespace: "a", srcWorkload: "w", dstNamespace: "b", dstWorkload: "v", dstPort: 80 }),
    );
    expect((await ingest(toNdjson(records))).accepted).toBe(120);
    const from = new Date(dayStart - 5 * 60_000); // cuts the first minute-run, hour and day
    const to = new Date(dayStart + 2 * 86_400_000 + 90 * 60_000 + 30_000);
    const expected = records.filter((r) => {
      const t = new Date(r.time).getTime();
      return t >= Math.floor(from.getTime() / 60_000) * 60_000 && t < Math.ceil(to.getTime() / 60_000) * 60_000;
    }).length;
    const check = async () => {
      const paths = await getTopDropPaths({ from, to, limit: 10, cluster: [cluster] });
      expect(paths.reduce((sum, p) => sum + p.count, 0)).toBe(expected);
      const all = { from: new Date(dayStart - 86_400_000), to: new Date(dayStart + 4 * 86_400_000) };
      for (const step of ["5m", "1h", "1d"] as const) {
        const series = await getDropSeries({ ...all, step, groupBy: "namespace", limit: 10, cluster: [cluster] });
        expect(series.total, step).toBe(120);
      }
      const byDay = await getDropSeries({ ...all, step: "1d", groupBy: "verdict", limit: 10, cluster: [cluster], dropPath: paths[0]?.id });
      expect(byDay.total).toBe(120);
    };
    await check();
    await compactRollups();
    await check();
  });
});
