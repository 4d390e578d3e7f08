import { describe, expect, it } from "vitest";
import { alignToStep, bucketCount, bucketStarts, pickStep, rollupSegments } from "./timeRange";

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

  it("splits a range into exact rollup segments: ragged ends by minute, whole hours by hour", () => {
    expect(rollupSegments({ from: t("2026-01-01T00:10:30Z"), to: t("2026-01-01T03:20Z") })).toEqual({
      minute: [
        { from: t("2026-01-01T00:10Z"), to: t("2026-01-01T01:00Z") },
        { from: t("2026-01-01T03:00Z"), to: t("2026-01-01T03:20Z") },
      ],
      hour: { from: t("2026-01-01T01:00Z"), to: t("2026-01-01T03:00Z") },
    });
    expect(rollupSegments({ from: t("2026-01-01T00:10Z"), to: t("2026-01-01T00:50Z") })).toEqual({
      minute: [{ from: t("2026-01-01T00:10Z"), to: t("2026-01-01T00:50Z") }],
      hour: null,
    });
    expect(rollupSegments({ from: t("2026-01-01T00:00Z"), to: t("2026-01-01T02:00Z") })).toEqual({
      minute: [],
      hour: { from: t("2026-01-01T00:00Z"), to: t("2026-01-01T02:00Z") },
    });
  });
});
