import { describe, expect, it } from "vitest";
import { OTHER_SERIES, shapeSeries, shapeTotals } from "./getDropSeries";

const t = (iso: string) => new Date(iso);
const range = { from: t("2026-01-01T00:00Z"), to: t("2026-01-01T00:03Z") };

describe("shapeSeries", () => {
  it("fills empty buckets with zeros", () => {
    const result = shapeSeries([{ t: t("2026-01-01T00:01Z"), key: "db", count: 4 }], range, "1m", 10);
    expect(result.series).toEqual([
      {
        key: "db",
        total: 4,
        points: [
          { t: "2026-01-01T00:00:00.000Z", count: 0 },
          { t: "2026-01-01T00:01:00.000Z", count: 4 },
          { t: "2026-01-01T00:02:00.000Z", count: 0 },
        ],
      },
    ]);
  });

  it("keeps the top N series and sums the rest into one, so the total stays exact", () => {
    const rows = [
      { t: t("2026-01-01T00:00Z"), key: "a", count: 10 },
      { t: t("2026-01-01T00:00Z"), key: "b", count: 5 },
      { t: t("2026-01-01T00:01Z"), key: "c", count: 2 },
      { t: t("2026-01-01T00:01Z"), key: "d", count: 1 },
    ];
    const result = shapeSeries(rows, range, "1m", 2);
    expect(result.series.map((s) => [s.key, s.total])).toEqual([
      ["a", 10],
      ["b", 5],
      [OTHER_SERIES, 3],
    ]);
    expect(result.total).toBe(18);
  });

  it("keeps a real group named (other) apart from the summed rest: nothing twice, totals exact", () => {
    const rows = [
      { t: t("2026-01-01T00:00Z"), key: "(other)", count: 7 },
      { t: t("2026-01-01T00:00Z"), key: "a", count: 10 },
      { t: t("2026-01-01T00:01Z"), key: "b", count: 2 },
      { t: t("2026-01-01T00:01Z"), key: "c", count: 1 },
    ];
    const result = shapeSeries(rows, range, "1m", 2);
    expect(result.series.map((s) => [s.key, s.total, s.other ?? false])).toEqual([
      ["a", 10, false],
      ["(other)", 7, false],
      [OTHER_SERIES, 3, true],
    ]);
    expect(result.total).toBe(20);
    // Past the limit, a real "(other)" is summed with the rest like any name, once.
    const small = shapeSeries(rows, range, "1m", 1);
    expect(small.series.map((s) => [s.key, s.total, s.other ?? false])).toEqual([
      ["a", 10, false],
      [OTHER_SERIES, 10, true],
    ]);
    expect(small.total).toBe(20);
    // Within the limit, nothing is synthetic.
    const all = shapeSeries(rows, range, "1m", 10);
    expect(all.series.filter((s) => s.other)).toEqual([]);
    expect(all.total).toBe(20);
  });
});

describe("shapeTotals", () => {
  it("ranks, keeps and sums exactly as shapeSeries does, without points", () => {
    const rows = [
      { t: t("2026-01-01T00:00Z"), key: "(other)", count: 7 },
      { t: t("2026-01-01T00:00Z"), key: "a", count: 6 },
      { t: t("2026-01-01T00:01Z"), key: "a", count: 4 },
      { t: t("2026-01-01T00:01Z"), key: "b", count: 2 },
      { t: t("2026-01-01T00:01Z"), key: "c", count: 2 },
    ];
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.count);
    const summed = [...totals].map(([key, count]) => ({ key, count }));
    for (const limit of [1, 2, 3, 10]) {
      const full = shapeSeries(rows, range, "1m", limit);
      const only = shapeTotals(summed, range, "1m", limit);
      expect(only).toEqual({ ...full, series: full.series.map((s) => ({ ...s, points: [] })) });
    }
  });
});
