import { describe, expect, it } from "vitest";
import { alignToStep, bucketCount, bucketStarts, parsePinnedTime, pickStep, previousRange, resolveRange, rollupFor, rollupSegments } from "./timeRange";

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
});
