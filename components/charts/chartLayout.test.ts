import { describe, expect, it } from "vitest";
import { chartRows, stackedBands } from "./chartLayout";

const result = {
  from: "2026-06-01T00:00:00.000Z",
  to: "2026-06-01T03:00:00.000Z",
  step: "1h" as const,
  total: 9,
  series: [
    { key: "a", total: 6, points: [1, 2, 3].map((count, i) => ({ t: new Date(Date.UTC(2026, 5, 1, i)).toISOString(), count })) },
    { key: "b", total: 3, points: [1, 1, 1].map((count, i) => ({ t: new Date(Date.UTC(2026, 5, 1, i)).toISOString(), count })) },
  ],
};

describe("chartRows", () => {
  it("has a row per bucket and a closing point at the range's end, so the newest bucket has width", () => {
    const rows = chartRows(result, 3_600_000);
    expect(rows.map((r) => r.t)).toEqual([0, 1, 2, 3].map((h) => Date.UTC(2026, 5, 1, h)));
    expect(rows.at(-1)).toMatchObject({ s0: 3, s1: 1 });
  });
});

describe("stackedBands", () => {
  it("draws each series between the ones below and its own top, stepping at bucket edges", () => {
    const rows = chartRows(result, 3_600_000);
    const t0 = rows[0]?.t ?? 0;
    const [a, b] = stackedBands(rows, 2, (t) => (t - t0) / 3_600_000, (v) => -v);
    // a: tops 1, 2, 3 over buckets [0,1], [1,2], [2,3]; bottom 0.
    expect(a).toBe("M0,-1H1V-2H2V-3H3V-3V0H2V0H1V0H0Z");
    // b: stacked on a (tops 2, 3, 4), its bottom a's tops stepping at the same edges.
    expect(b).toBe("M0,-2H1V-3H2V-4H3V-4V-3H2V-2H1V-1H0Z");
  });

  it("draws nothing without rows", () => {
    expect(stackedBands([], 2, (t) => t, (v) => v)).toEqual([]);
  });
});
