import { describe, expect, it } from "vitest";
import { sortRolloutsForList, type RolloutForOrder } from "./rolloutOrder";

const rollout = (name: string, over: Partial<RolloutForOrder>): RolloutForOrder => ({
  name,
  lastVerdict: "HEALTHY",
  completedAt: null,
  createdAt: "2026-06-01T00:00:00Z",
  currentStage: { stage: "CANARY", at: "2026-06-01T10:00:00Z" },
  ...over,
});

describe("sortRolloutsForList", () => {
  it("puts breached and not-enforced rollouts first, finished ones last, newest first within each", () => {
    const list = [
      rollout("healthy", {}),
      rollout("complete", { completedAt: "2026-06-02T00:00:00Z", lastVerdict: "BREACHED" }),
      rollout("at risk", { lastVerdict: "AT_RISK" }),
      rollout("breached old", { lastVerdict: "BREACHED", currentStage: { stage: "CANARY", at: "2026-06-01T08:00:00Z" } }),
      rollout("not started", { currentStage: null, lastVerdict: null }),
      rollout("rolled back", { currentStage: { stage: "ROLLED_BACK", at: "2026-06-01T12:00:00Z" }, lastVerdict: null }),
      rollout("not enforced", { lastVerdict: "NOT_ENFORCED", currentStage: { stage: "ENFORCED", at: "2026-06-01T11:00:00Z" } }),
      rollout("judging", { lastVerdict: "INSUFFICIENT_DATA" }),
    ];
    expect(sortRolloutsForList(list).map((r) => r.name)).toEqual([
      "not enforced",
      "breached old",
      "at risk",
      "judging",
      "healthy",
      "not started",
      "rolled back",
      "complete",
    ]);
    expect(list[0]?.name).toBe("healthy"); // the input is not reordered
  });
});
