// The rollout is `default-deny`. A new path denied by an older, unrelated policy
// (shop/block-scanners) is shown as "other policies", outside the budget: HEALTHY, not a surprise,
// and it cannot flap. A new path naming the rollout's own policy is a surprise at once.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "a drop by an unrelated named policy stays out of the budget",
  rollout: { policies: ["default-deny"], budget: { maxNewPaths: 0, maxIncreasePct: 50 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: "scan/probe -> shop/cart", port: 22, from: 5, to: 60, reason: "POLICY_DENY", policies: ["shop/block-scanners"], perMinute: 10 },
    { path: "web/frontend -> shop/payments", from: 25, to: 60, reason: "POLICY_DENY", policies: ["shop/default-deny"] },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    {
      at: 20,
      expect: {
        verdict: "HEALTHY",
        surprises: [],
        otherPolicies: ["scan/probe -> shop/cart"],
        figures: { otherPolicyDrops: 150, currentDrops: 20, increasePct: 0 },
      },
    },
    { at: 24, expect: { verdict: "HEALTHY" } },
    {
      at: 26,
      expect: {
        verdict: "BREACHED",
        surprises: ["web/frontend -> shop/payments"],
        paths: [{ path: "web/frontend -> shop/payments", policies: ["shop/default-deny"], attribution: "denied by the rollout's policy" }],
      },
    },
  ],
} satisfies Scenario;
