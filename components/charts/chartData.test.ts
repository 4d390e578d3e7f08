import { describe, expect, it } from "vitest";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import type { StillAuditedResult } from "@/lib/queries/drops/getStillAudited";
import { countTicks, placeLabels, STILL_AUDITED_LABEL, tickText, timeTicks, withStillAudited } from "./chartData";

const t = (iso: string) => Date.parse(iso);

describe("time ticks", () => {
  it("fall on round times", () => {
    const day = timeTicks(t("2026-06-01T10:45Z"), t("2026-06-02T10:45Z"), 8);
    expect(day.every).toBe(3 * 3_600_000);
    expect(day.ticks.map((x) => tickText(x, day.every))).toEqual(["12:00", "15:00", "18:00", "21:00", "06-02", "03:00", "06:00", "09:00"]);
    const week = timeTicks(t("2026-05-26T12:00Z"), t("2026-06-02T12:00Z"), 8);
    expect(week.ticks.map((x) => tickText(x, week.every))).toEqual(["05-27", "05-28", "05-29", "05-30", "05-31", "06-01", "06-02"]);
    const hour = timeTicks(t("2026-06-02T09:38Z"), t("2026-06-02T10:38Z"), 6);
    expect(hour.ticks.map((x) => tickText(x, hour.every))).toEqual(["09:40", "09:50", "10:00", "10:10", "10:20", "10:30"]);
  });
});

describe("count ticks", () => {
  it("are round numbers from 0 past the highest bucket", () => {
    expect(countTicks(340)).toEqual([0, 100, 200, 300, 400]);
    expect(countTicks(12)).toEqual([0, 5, 10, 15]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(4_800)).toEqual([0, 2_000, 4_000, 6_000]);
    expect(countTicks(0)).toEqual([0, 1]);
  });
});

describe("stage labels", () => {
  it("never overlap: close ones go to another row, and with no row left they stay unlabelled", () => {
    const placed = placeLabels([100, 110, 120, 130, 400], [40, 40, 40, 40, 40], 600);
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, null, 0]);
    expect(placeLabels([590], [40], 600)).toEqual([{ row: 0, left: true }]);
  });
});

describe("AUDIT after enforcement", () => {
  const points = (counts: number[]) => counts.map((count, i) => ({ t: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), count }));
  const result: DropSeriesResult = {
    step: "1m",
    from: "2026-01-01T00:00:00.000Z",
    to: "2026-01-01T00:03:00.000Z",
    total: 18,
    series: [
      { key: "DROPPED", total: 9, points: points([3, 3, 3]) },
      { key: "AUDIT", total: 9, points: points([4, 3, 2]) },
    ],
  };
  const still: StillAuditedResult = { step: "1m", from: result.from, to: result.to, total: 5, points: points([0, 2, 3]), namespaces: [] };

  it("splits AUDIT in two, totals exact", () => {
    const split = withStillAudited(result, still);
    expect(split.series.map((s) => [s.key, s.total, s.points.map((p) => p.count)])).toEqual([
      ["DROPPED", 9, [3, 3, 3]],
      ["AUDIT", 5, [4, 1, 0]],
      [STILL_AUDITED_LABEL, 4, [0, 2, 2]],
    ]);
    expect(split.series.reduce((sum, s) => sum + s.total, 0)).toBe(18);
  });

  it("leaves a chart over other buckets alone", () => {
    expect(withStillAudited(result, { ...still, step: "5m" })).toBe(result);
    expect(withStillAudited(result, undefined)).toBe(result);
  });
});
