import { describe, expect, it } from "vitest";
import { transitionProblem } from "./stages";

const now = new Date("2026-11-28T12:00:00Z");
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);

describe("rollout stage transitions", () => {
  it("walks OBSERVE -> CANARY -> EXPAND -> EXPAND -> ENFORCED", () => {
    expect(transitionProblem(null, { stage: "OBSERVE", at: at(50) }, now)).toBeNull();
    expect(transitionProblem({ stage: "OBSERVE", at: at(50) }, { stage: "CANARY", at: at(40) }, now)).toBeNull();
    expect(transitionProblem({ stage: "CANARY", at: at(40) }, { stage: "EXPAND", at: at(30) }, now)).toBeNull();
    expect(transitionProblem({ stage: "EXPAND", at: at(30) }, { stage: "EXPAND", at: at(20) }, now)).toBeNull();
    expect(transitionProblem({ stage: "EXPAND", at: at(20) }, { stage: "ENFORCED", at: at(10) }, now)).toBeNull();
  });

  it("refuses skipping and going back without a rollback, saying what is allowed", () => {
    expect(transitionProblem({ stage: "ENFORCED", at: at(10) }, { stage: "CANARY", at: at(5) }, now)).toBe(
      "CANARY cannot come from ENFORCED (roll back first); allowed: ROLLED_BACK",
    );
    expect(transitionProblem({ stage: "OBSERVE", at: at(10) }, { stage: "ENFORCED", at: at(5) }, now)).toContain("allowed: CANARY, ROLLED_BACK");
    expect(transitionProblem(null, { stage: "EXPAND", at: at(5) }, now)).toBe("EXPAND cannot come as the first stage; allowed: OBSERVE, CANARY");
    expect(transitionProblem({ stage: "ROLLED_BACK", at: at(10) }, { stage: "CANARY", at: at(5) }, now)).toBeNull();
  });

  it("takes backdated times in order, and nothing from the future", () => {
    expect(transitionProblem({ stage: "CANARY", at: at(10) }, { stage: "EXPAND", at: at(20) }, now)).toContain("is before the previous transition");
    expect(transitionProblem(null, { stage: "CANARY", at: at(-5) }, now)).toContain("is in the future");
  });
});
