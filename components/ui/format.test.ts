import { describe, expect, it } from "vitest";
import { formatChange, formatDuration, formatMinutes, formatPct, formatRange, formatRate, formatUtcSince } from "./format";

describe("formatChange", () => {
  it("phrases the change against the previous period", () => {
    expect(formatChange(110, 100)).toEqual({ text: "+10% vs previous period", direction: "up" });
    expect(formatChange(95, 100)).toEqual({ text: "-5.0% vs previous period", direction: "down" });
    expect(formatChange(100, 100).direction).toBe("flat");
    expect(formatChange(5000, 10).text).toBe("500× the previous period");
    expect(formatChange(3, 0).text).toBe("none in the previous period");
  });
});

describe("figures", () => {
  it("rounds rates, and says n/a when there is none", () => {
    expect(formatRate(1.23456)).toBe("1.23");
    expect(formatRate(1234.5)).toBe("1,235");
    expect(formatRate(null)).toBe("n/a");
    expect(formatPct(12.345)).toBe("+12.35%");
    expect(formatPct(-3)).toBe("-3%");
    expect(formatPct(null)).toBe("n/a");
  });

  it("says durations as people do", () => {
    expect(formatMinutes(14.4)).toBe("14 min");
    expect(formatMinutes(200)).toBe("3 h 20 min");
    expect(formatMinutes(1440)).toBe("24 h");
    expect(formatMinutes(3060)).toBe("2 d 3 h");
  });

  it("gives the date only when it is not today (UTC)", () => {
    expect(formatUtcSince("2026-12-02T10:42:30Z", "2026-12-02T11:00:00Z")).toBe("10:42 UTC");
    expect(formatUtcSince("2026-12-01T10:42:30Z", "2026-12-02T11:00:00Z")).toBe("2026-12-01 10:42 UTC");
  });
});

describe("formatDuration", () => {
  it("says durations in at most two units, days from 24 h", () => {
    const min = 60_000;
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(14.4 * min)).toBe("14 min");
    expect(formatDuration(200 * min)).toBe("3 h 20 min");
    expect(formatDuration(23 * 60 * min)).toBe("23 h");
    expect(formatDuration(1440 * min)).toBe("1 d");
    expect(formatDuration(2166 * min)).toBe("1 d 12 h");
    expect(formatDuration(30 * 1440 * min)).toBe("30 d");
    expect(formatDuration(-5)).toBe("0 s");
    expect(formatDuration(Number.NaN)).toBe("n/a");
  });

  it("says a range with its date once when it is one day", () => {
    expect(formatRange("2026-06-01T10:45:00Z", "2026-06-02T10:45:00Z")).toBe("2026-06-01 10:45 – 06-02 10:45 UTC");
    expect(formatRange("2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z")).toBe("2026-06-01 09:00 – 10:00 UTC");
    expect(formatRange("2025-12-31T00:00:00Z", "2026-01-01T00:00:00Z")).toBe("2025-12-31 00:00 – 2026-01-01 00:00 UTC");
  });
});
