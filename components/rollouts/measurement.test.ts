// The rollout page's pure helpers for the measurement loop: error ratios as percentages, the
// error chart's % ticks, and the proof-of-enforcement sentence.
import { describe, expect, it } from "vitest";
import { enforcementSentence } from "./EnforcementProof";
import { expiryText } from "./ExceptionCell";
import { percentTicks } from "./ErrorRatioChart";
import { formatRatioPct, ratioToPercentField } from "./ratioFormat";

describe("formatRatioPct", () => {
  it("gives small ratios the decimals they need", () => {
    expect(formatRatioPct(0.031)).toBe("3.1%");
    expect(formatRatioPct(0.0123456)).toBe("1.23%");
    expect(formatRatioPct(0.004)).toBe("0.4%");
    expect(formatRatioPct(0.00012345)).toBe("0.0123%");
    expect(formatRatioPct(0.000000001)).toBe("<0.0001%");
    expect(formatRatioPct(0.25)).toBe("25%");
    expect(formatRatioPct(0)).toBe("0%");
    expect(formatRatioPct(null)).toBe("n/a");
  });
  it("puts a ratio in a % field without float noise", () => {
    expect(ratioToPercentField(0.07)).toBe("7");
    expect(ratioToPercentField(0.015)).toBe("1.5");
    expect(ratioToPercentField(null)).toBe("");
  });
});

describe("percentTicks", () => {
  it("ends on a round % at or above the highest value", () => {
    expect(percentTicks(2.952)).toEqual([0, 1, 2, 3]);
    expect(percentTicks(0.4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(percentTicks(0.05)).toEqual([0, 0.02, 0.04, 0.06]);
    expect(percentTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(percentTicks(0)).toEqual([0, 0.1]);
  });
});

describe("enforcementSentence", () => {
  const figure = { predicted: 14, enforced: 12, stillAudited: 2, notSeen: 0, graceMinutes: 10, judged: true };
  it("reads as the README says", () => {
    expect(enforcementSentence(figure)).toBe("12 of 14 predicted paths now dropped; 2 still only audited");
    expect(enforcementSentence({ ...figure, predicted: 1, enforced: 1, stillAudited: 0 })).toBe("1 of 1 predicted path now dropped; 0 still only audited");
    expect(enforcementSentence({ ...figure, notSeen: 1, stillAudited: 1 })).toBe("12 of 14 predicted paths now dropped; 1 still only audited; 1 not seen since the stage began");
  });
  it("waits for the grace period before judging", () => {
    expect(enforcementSentence({ ...figure, stillAudited: 0, judged: false })).toBe(
      "12 of 14 predicted paths now dropped so far; still-audited paths are judged after the 10 min grace period",
    );
  });
});

describe("expiryText", () => {
  const now = Date.parse("2026-12-02T10:00:00Z");
  it("says how long an exception has left, or that it counts again", () => {
    expect(expiryText(null, now)).toMatchObject({ text: "no expiry", expired: false });
    expect(expiryText("2026-12-03T10:00:00Z", now)).toMatchObject({ text: "until 2026-12-03 10:00 UTC (24 h left)", expired: false });
    expect(expiryText("2026-12-02T10:20:00Z", now).text).toBe("until 2026-12-02 10:20 UTC (20 min left)");
    expect(expiryText("2026-12-09T10:00:00Z", now).text).toBe("until 2026-12-09 10:00 UTC (7 d left)");
    expect(expiryText("2026-12-02T09:00:00Z", now)).toMatchObject({ text: "expired 2026-12-02 09:00 UTC: counts again", short: "2026-12-02 09:00 UTC: counts again", expired: true });
  });
});
