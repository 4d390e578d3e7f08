import { describe, expect, it } from "vitest";
import { PATH_ROLLUPS, rollupReads, signedRollupReads, type SignedRollupRead } from "./rollupSegments";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const t = (iso: string) => new Date(iso);
const widths: Record<string, number> = { [PATH_ROLLUPS.minute]: MINUTE, [PATH_ROLLUPS.hour]: HOUR, [PATH_ROLLUPS.day]: DAY };

/** How many times each minute around the range is counted: once inside [floor(from), ceil(to)), never outside. */
function expectExactCover(reads: readonly SignedRollupRead[], range: { from: Date; to: Date }) {
  const from = Math.floor(range.from.getTime() / MINUTE) * MINUTE;
  const to = Math.ceil(range.to.getTime() / MINUTE) * MINUTE;
  for (const read of reads) {
    const width = widths[read.table] ?? NaN;
    expect(read.segment.from.getTime() % width, JSON.stringify(read)).toBe(0);
    expect(read.segment.to.getTime() % width, JSON.stringify(read)).toBe(0);
  }
  const first = Math.min(from, ...reads.map((r) => r.segment.from.getTime()));
  const last = Math.max(to, ...reads.map((r) => r.segment.to.getTime()));
  for (let minute = first - MINUTE; minute <= last + MINUTE; minute += MINUTE) {
    const times = reads.reduce((n, r) => (minute >= r.segment.from.getTime() && minute < r.segment.to.getTime() ? n + r.sign : n), 0);
    if (times !== (minute >= from && minute < to ? 1 : 0)) throw new Error(`minute ${new Date(minute).toISOString()} counted ${times} times for ${JSON.stringify(range)}`);
  }
}

describe("signed rollup reads", () => {
  it("read a 24 h window from 03:30 as a day less 3 h 30 min, and its other end as added hours", () => {
    const reads = signedRollupReads({ from: t("2026-01-01T03:30Z"), to: t("2026-01-02T03:30Z") }, PATH_ROLLUPS);
    expect(reads.map((r) => [r.table, r.segment.from.toISOString().slice(0, 16), r.segment.to.toISOString().slice(0, 16), r.sign])).toEqual([
      [PATH_ROLLUPS.day, "2026-01-01T00:00", "2026-01-02T00:00", 1],
      [PATH_ROLLUPS.hour, "2026-01-01T00:00", "2026-01-01T03:00", -1],
      [PATH_ROLLUPS.minute, "2026-01-01T03:00", "2026-01-01T03:30", -1],
      [PATH_ROLLUPS.hour, "2026-01-02T00:00", "2026-01-02T03:00", 1],
      [PATH_ROLLUPS.minute, "2026-01-02T03:00", "2026-01-02T03:30", 1],
    ]);
    expectExactCover(reads, { from: t("2026-01-01T03:30Z"), to: t("2026-01-02T03:30Z") });
  });

  it("count every minute of any range exactly once, and nothing outside it", () => {
    // Deterministic pseudo-random ranges: starts and lengths across minutes, hours, midnight and days.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648), seed % n);
    const ranges = [
      { from: t("2026-01-01T23:50Z"), to: t("2026-01-02T00:10Z") },
      { from: t("2026-01-01T00:00Z"), to: t("2026-01-03T00:00Z") },
      { from: t("2026-01-01T00:00:30Z"), to: t("2026-01-01T23:59:30Z") },
      ...Array.from({ length: 300 }, () => {
        const from = Date.UTC(2026, 0, 1) + next(3 * 24 * 60) * MINUTE + next(60) * 1000;
        return { from: new Date(from), to: new Date(from + (1 + next(9 * 24 * 60)) * MINUTE + next(60) * 1000) };
      }),
    ];
    for (const range of ranges) {
      expectExactCover(signedRollupReads(range, PATH_ROLLUPS), range);
      // The plain reads where the range (in whole minutes) reaches no midnight.
      const from = Math.floor(range.from.getTime() / MINUTE) * MINUTE;
      const to = Math.ceil(range.to.getTime() / MINUTE) * MINUTE;
      if (Math.ceil(from / DAY) * DAY > Math.floor(to / DAY) * DAY) {
        expect(signedRollupReads(range, PATH_ROLLUPS).map(({ table, segment }) => ({ table, segment }))).toEqual(rollupReads(range, PATH_ROLLUPS));
      }
    }
  });
});
