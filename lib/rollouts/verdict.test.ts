import { describe, expect, it } from "vitest";
import { judgeHealth, type HealthFigures } from "./verdict";

const figures = (overrides: Partial<HealthFigures> = {}): HealthFigures => ({
  stageMinutes: 60, baselineMinutes: 60, currentDrops: 60, baselineDrops: 60, currentRatePerMin: 1, baselineRatePerMin: 1,
  extraDropsPerMin: 0, increasePct: 0, newPaths: 0, surprises: 0, expected: 0, acknowledged: 0, clustersReporting: true, ...overrides,
});
const budget = { maxNewPaths: 0, maxExtraDropsPerMin: null, maxIncreasePct: null };

describe("judgeHealth", () => {
  it("is HEALTHY within every budget", () => {
    expect(judgeHealth(figures(), budget).verdict).toBe("HEALTHY");
  });

  it("at exactly the budget is within it, over half of it is AT_RISK, just over it is BREACHED", () => {
    expect(judgeHealth(figures({ surprises: 2 }), { ...budget, maxNewPaths: 2 }).verdict).toBe("AT_RISK");
    expect(judgeHealth(figures({ surprises: 1 }), { ...budget, maxNewPaths: 2 }).verdict).toBe("HEALTHY");
    expect(judgeHealth(figures({ surprises: 3 }), { ...budget, maxNewPaths: 2 }).verdict).toBe("BREACHED");
    expect(judgeHealth(figures({ extraDropsPerMin: 5 }), { ...budget, maxExtraDropsPerMin: 5 }).verdict).toBe("AT_RISK");
    expect(judgeHealth(figures({ extraDropsPerMin: 5.01 }), { ...budget, maxExtraDropsPerMin: 5 }).verdict).toBe("BREACHED");
    expect(judgeHealth(figures({ increasePct: 50 }), { ...budget, maxIncreasePct: 100 }).verdict).toBe("HEALTHY");
    expect(judgeHealth(figures({ increasePct: 50.1 }), { ...budget, maxIncreasePct: 100 }).verdict).toBe("AT_RISK");
  });

  it("a surprise breaches a zero budget at once, even in a young stage", () => {
    const judgement = judgeHealth(figures({ stageMinutes: 1, surprises: 1 }), budget);
    expect(judgement.verdict).toBe("BREACHED");
    expect(judgement.reasons).toEqual(["1 surprise drop path(s), budget 0"]);
  });

  it("says what is missing when data is insufficient", () => {
    expect(judgeHealth(figures({ stageMinutes: 2 }), budget)).toMatchObject({
      verdict: "INSUFFICIENT_DATA",
      reasons: ["the stage began 2 min ago; drop rates need at least 5 min"],
    });
    expect(judgeHealth(figures({ clustersReporting: false }), budget).reasons[0]).toContain("is a collector sending?");
  });

  it("a fall in drops is not extra; no baseline drops leaves the % undefined, not a breach", () => {
    expect(judgeHealth(figures({ extraDropsPerMin: -3 }), { ...budget, maxExtraDropsPerMin: 0 }).verdict).toBe("HEALTHY");
    expect(judgeHealth(figures({ increasePct: null }), { ...budget, maxIncreasePct: 10 }).verdict).toBe("HEALTHY");
  });
});
