import { describe, expect, it } from "vitest";
import { alignToStep, bucketCount, bucketStarts, chartStep, parsePinnedTime, pickStep, previousRange, RANGE_PRESET_NAMES, RANGE_PRESETS, resolveRange, ROLLUP_GRANULARITIES, rollupFor, rollupSegments, STEP_NAMES, STEPS, viewWindow } from "./timeRange";

const t = (iso: string) => new Date(iso);

describe("time ranges", () => {
  it("picks a step that keeps charts to a few hundred buckets", () => {
    expect(pickStep({ from: t("2026-01-01T00:00Z"), to: t("2026-01-01T01:00Z") })).toBe("1m");
    expect(pickStep({ from: t("2026-01-01T00:00Z"), to: t("2026-01-02T00:00Z") })).toBe("5m");
    expect(pickStep({ from: t("2026-01-01T00:00Z"), to: t("2026-01-08T00:00Z") })).toBe("1h");
    expect(pickStep({ from: t("2026-01-01T00:00Z"), to: t("2026-03-01T00:00Z") })).toBe("1d");
  });

  it("widens a range to whole buckets and lists every bucket", () => {
    const range = { from: t("2026-01-01T00:03:10Z"), to: t("2026-01-01T00:14:00Z") };
    expect(alignToStep(range, "5m")).toEqual({ from: t("2026-01-01T00:00Z"), to: t("2026-01-01T00:15Z") });
    expect(bucketStarts(range, "5m").map((d) => d.toISOString().slice(11, 16))).toEqual(["00:00", "00:05", "00:10"]);
    expect(bucketCount({ from: t("2026-01-01T00:00Z"), to: t("2026-01-08T00:00Z") }, "1m")).toBe(10080);
  });

  it("splits a range into exact rollup segments: ragged ends by minute, whole hours by hour, whole days by day", () => {
    expect(rollupSegments({ from: t("2026-01-01T00:10:30Z"), to: t("2026-01-01T03:20Z") })).toEqual({
      minute: [
        { from: t("2026-01-01T00:10Z"), to: t("2026-01-01T01:00Z") },
        { from: t("2026-01-01T03:00Z"), to: t("2026-01-01T03:20Z") },
      ],
      hour: [{ from: t("2026-01-01T01:00Z"), to: t("2026-01-01T03:00Z") }],
      day: null,
    });
    expect(rollupSegments({ from: t("2026-01-01T00:10Z"), to: t("2026-01-01T00:50Z") })).toEqual({
      minute: [{ from: t("2026-01-01T00:10Z"), to: t("2026-01-01T00:50Z") }],
      hour: [],
      day: null,
    });
    expect(rollupSegments({ from: t("2026-01-01T22:30Z"), to: t("2026-01-04T01:15Z") })).toEqual({
      minute: [
        { from: t("2026-01-01T22:30Z"), to: t("2026-01-01T23:00Z") },
        { from: t("2026-01-04T01:00Z"), to: t("2026-01-04T01:15Z") },
      ],
      hour: [
        { from: t("2026-01-01T23:00Z"), to: t("2026-01-02T00:00Z") },
        { from: t("2026-01-04T00:00Z"), to: t("2026-01-04T01:00Z") },
      ],
      day: { from: t("2026-01-02T00:00Z"), to: t("2026-01-04T00:00Z") },
    });
  });

  it("reads the coarsest rollup that tiles the step", () => {
    expect(rollupFor("1m")).toBe("minute");
    expect(rollupFor("5m")).toBe("5m");
    expect(rollupFor("1h")).toBe("hour");
    expect(rollupFor("1d")).toBe("day");
    expect(rollupFor("5m", ["minute", "hour", "day"])).toBe("minute");
  });

  it("resolves a pinned range only from real times in 1970-9999; anything else shows the preset", () => {
    const now = t("2026-06-01T12:00:00Z");
    const preset = { from: t("2026-06-01T11:00:00Z"), to: now };
    const pinned = { from: "2026-05-01T00:00:00.000Z", to: "2026-05-02T00:00:00.000Z" };
    expect(resolveRange({ range: "1h", ...pinned }, now)).toEqual({ from: t(pinned.from), to: t(pinned.to) });
    for (const [from, to] of [
      ["'", "'"],
      ["2026-05-01T00:00:00Z", "+275760-09-13T00:00:00.000Z"],
      ["+275760-09-12T00:00:00.000Z", "+275760-09-13T00:00:00.000Z"],
      ["-000001-01-01T00:00:00Z", "2026-01-01T00:00:00Z"],
      ["2026-05-02T00:00:00Z", "2026-05-01T00:00:00Z"],
      ["2026-05-01T00:00:00Z", null],
    ] as [string, string | null][]) {
      const range = resolveRange({ range: "1h", from, to }, now);
      expect(range, `${from} → ${to}`).toEqual(preset);
      // What the dashboard does next with it must not throw.
      expect(() => [range.from.toISOString(), previousRange(range).from.toISOString()]).not.toThrow();
    }
    expect(parsePinnedTime("9999-12-31T23:59:59.999Z")?.toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(parsePinnedTime("1e300")).toBeNull();
  });

  it("gives charts about a hundred buckets on round steps", () => {
    const span = (hours: number) => ({ from: t("2026-01-01T00:00Z"), to: new Date(Date.parse("2026-01-01T00:00Z") + hours * 3_600_000) });
    expect(chartStep(span(0.25))).toBe("1m");
    expect(chartStep(span(1))).toBe("1m");
    expect(chartStep(span(6))).toBe("5m");
    expect(chartStep(span(12))).toBe("10m");
    expect(chartStep(span(24))).toBe("15m");
    expect(chartStep(span(7 * 24))).toBe("2h");
    expect(chartStep(span(14 * 24))).toBe("3h");
    expect(chartStep(span(30 * 24))).toBe("6h");
    expect(chartStep(span(400 * 24))).toBe("1d");
    for (const preset of RANGE_PRESET_NAMES) {
      const buckets = RANGE_PRESETS[preset] / 1000 / STEPS[chartStep(span(RANGE_PRESETS[preset] / 3_600_000))];
      expect(buckets, preset).toBeLessThanOrEqual(150);
    }
  });

  it("serves every step exactly from a stored rollup, whose buckets tile it (UTC-aligned)", () => {
    const seconds = Object.fromEntries(ROLLUP_GRANULARITIES.map((g) => [g.name, g.seconds]));
    for (const step of STEP_NAMES) {
      expect(86_400 % STEPS[step], `${step} divides a day`).toBe(0);
      for (const available of [undefined, ["minute", "hour", "day"] as const]) {
        const rollup = rollupFor(step, available);
        expect(STEPS[step] % (seconds[rollup] ?? 1), `${step} from ${rollup}`).toBe(0);
      }
    }
    expect(rollupFor("15m")).toBe("5m");
    expect(rollupFor("15m", ["minute", "hour", "day"])).toBe("minute");
    expect(rollupFor("2h")).toBe("hour");
    expect(rollupFor("6h")).toBe("hour");
  });

  it("gives a page one range of whole buckets: live presets end with the bucket holding now", () => {
    const now = t("2026-06-02T10:37:20Z");
    const day = viewWindow({ range: "24h", from: null, to: null }, now);
    expect(day).toEqual({ from: t("2026-06-01T10:45Z"), to: t("2026-06-02T10:45Z"), step: "15m", live: true });
    // The previous period is as long, just before, and on the same bucket boundaries.
    expect(previousRange(day)).toEqual({ from: t("2026-05-31T10:45Z"), to: t("2026-06-01T10:45Z") });
    expect(viewWindow({ range: "7d", from: null, to: null }, now)).toMatchObject({ from: t("2026-05-26T12:00Z"), to: t("2026-06-02T12:00Z"), step: "2h" });
    expect(viewWindow({ range: "1h", from: null, to: null }, now)).toMatchObject({ from: t("2026-06-02T09:38Z"), to: t("2026-06-02T10:38Z"), step: "1m" });
    // A pinned range is widened to whole buckets of its step; a bad one shows the preset.
    expect(viewWindow({ range: "1h", from: "2026-05-01T00:07:00Z", to: "2026-05-02T00:00:00Z" }, now)).toEqual({
      from: t("2026-05-01T00:00Z"),
      to: t("2026-05-02T00:00Z"),
      step: "15m",
      live: false,
    });
    expect(viewWindow({ range: "1h", from: "'", to: "2026-05-02T00:00:00Z" }, now).live).toBe(true);
    // Whole minutes too: what the paths table counts is the same span.
    for (const preset of RANGE_PRESET_NAMES) {
      const window = viewWindow({ range: preset, from: null, to: null }, now);
      expect(window.to.getTime() - window.from.getTime(), preset).toBe(RANGE_PRESETS[preset]);
      expect(window.from.getTime() % (STEPS[window.step] * 1000), preset).toBe(0);
      expect(rollupSegments(window).minute.concat(rollupSegments(window).hour).every((s) => s.from.getTime() % 60_000 === 0)).toBe(true);
    }
  });
});
