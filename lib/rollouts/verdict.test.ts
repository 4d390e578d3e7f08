import { describe, expect, it } from "vitest";
import { increaseOver, judgeHealth, type HealthFigures } from "./verdict";

const now = new Date("2026-11-30T12:00:00Z");
const figures = (overrides: Partial<HealthFigures> = {}): HealthFigures => ({
  stageMinutes: 60, baselineMinutes: 60, currentDrops: 60, stageRatePerMin: 1, currentRatePerMin: 1, nowWindowMinutes: 15,
  baselineDrops: 60, baselineRatePerMin: 1, extraDropsPerMin: 0, increasePct: 0, newPaths: 0, surprises: 0, expected: 0, acknowledged: 0,
  defaultDenyDrops: 0, otherPolicyDrops: 0, otherReasonDrops: 0, clusters: [{ cluster: "prod-eu", lastSeenAt: now.toISOString(), reporting: true }],
  enforcement: null, errors: null,
  ...overrides,
});
const budget = { maxNewPaths: 0, maxExtraDropsPerMin: null, maxIncreasePct: null };

describe("judgeHealth", () => {
  it("is HEALTHY within every budget", () => {
    expect(judgeHealth(figures(), budget, now).verdict).toBe("HEALTHY");
  });

  it("at exactly the budget is within it, over half of it is AT_RISK, just over it is BREACHED", () => {
    expect(judgeHealth(figures({ surprises: 2 }), { ...budget, maxNewPaths: 2 }, now).verdict).toBe("AT_RISK");
    expect(judgeHealth(figures({ surprises: 1 }), { ...budget, maxNewPaths: 2 }, now).verdict).toBe("HEALTHY");
    expect(judgeHealth(figures({ surprises: 3 }), { ...budget, maxNewPaths: 2 }, now).verdict).toBe("BREACHED");
    expect(judgeHealth(figures({ extraDropsPerMin: 5 }), { ...budget, maxExtraDropsPerMin: 5 }, now).verdict).toBe("AT_RISK");
    expect(judgeHealth(figures({ extraDropsPerMin: 5.01 }), { ...budget, maxExtraDropsPerMin: 5 }, now).verdict).toBe("BREACHED");
    expect(judgeHealth(figures({ increasePct: 50 }), { ...budget, maxIncreasePct: 100 }, now).verdict).toBe("HEALTHY");
    expect(judgeHealth(figures({ increasePct: 50.1 }), { ...budget, maxIncreasePct: 100 }, now).verdict).toBe("AT_RISK");
  });

  it("a surprise breaches a zero budget at once, even in a young stage or with a silent cluster", () => {
    const judgement = judgeHealth(figures({ stageMinutes: 1, surprises: 1, clusters: [{ cluster: "prod-eu", lastSeenAt: null, reporting: false }] }), budget, now);
    expect(judgement.verdict).toBe("BREACHED");
    expect(judgement.reasons).toEqual(["1 surprise drop path(s), budget 0"]);
  });

  it("says what is missing when data is insufficient: a young stage, or which cluster is silent since when", () => {
    expect(judgeHealth(figures({ stageMinutes: 2 }), budget, now)).toMatchObject({
      verdict: "INSUFFICIENT_DATA",
      reasons: ["the stage began 2 min ago; drop rates need at least 5 min"],
    });
    const silent = figures({
      clusters: [
        { cluster: "prod-eu", lastSeenAt: "2026-11-30T10:42:10Z", reporting: false },
        { cluster: "prod-us", lastSeenAt: now.toISOString(), reporting: true },
        { cluster: "prod-ap", lastSeenAt: "2026-11-29T23:00:00Z", reporting: false },
        { cluster: "staging", lastSeenAt: null, reporting: false },
      ],
    });
    expect(judgeHealth(silent, budget, now)).toMatchObject({
      verdict: "INSUFFICIENT_DATA",
      reasons: ["no data from prod-eu since 10:42 UTC", "no data from prod-ap since 2026-11-29 23:00 UTC", "no data from staging yet"],
    });
  });

  it("a silent cluster is not judged over a budget either: silence is not health, and not a breach of rates", () => {
    const silent = figures({ increasePct: 500, clusters: [{ cluster: "prod-eu", lastSeenAt: null, reporting: false }] });
    expect(judgeHealth(silent, { ...budget, maxIncreasePct: 10 }, now).verdict).toBe("INSUFFICIENT_DATA");
  });

  it("a fall in drops is not extra", () => {
    expect(judgeHealth(figures({ extraDropsPerMin: -3 }), { ...budget, maxExtraDropsPerMin: 0 }, now).verdict).toBe("HEALTHY");
  });

  it("defines the increase over a zero baseline against a floor of 1 drop/min", () => {
    expect(increaseOver(3, 0)).toBe(300);
    expect(increaseOver(0.5, 0)).toBe(50);
    expect(increaseOver(13, 10)).toBeCloseTo(30);
    expect(increaseOver(0, 0)).toBe(0);
    expect(judgeHealth(figures({ baselineRatePerMin: 0, currentRatePerMin: 3, increasePct: increaseOver(3, 0) }), { ...budget, maxIncreasePct: 100 }, now).verdict).toBe("BREACHED");
  });
});
