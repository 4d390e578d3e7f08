// ENFORCED plus its soak (60 min here) completes the rollout: the verdict is final, the evaluator
// stops. Months later a new path in scope must not breach it (before, ENFORCED never ended).
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "ENFORCED past its soak is COMPLETE and stays so",
  rollout: { budget: { maxNewPaths: 0 }, soakMinutes: 60 },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 130 },
    { path: "web/frontend -> shop/cart", from: 100, to: 130 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 30, transition: { stage: "ENFORCED" } },
    { at: 60, expect: { verdict: "HEALTHY", state: "ACTIVE" } },
    { at: 91, expect: { verdict: "HEALTHY", state: "COMPLETE", reasons: ["complete: ENFORCED ran its soak to 11:30 UTC"] } },
    { at: 92, evaluate: true },
    { at: 120, expect: { verdict: "HEALTHY", state: "COMPLETE", surprises: [] } },
    { at: 150, expect: { verdict: "HEALTHY", state: "COMPLETE" } },
  ],
} satisfies Scenario;
