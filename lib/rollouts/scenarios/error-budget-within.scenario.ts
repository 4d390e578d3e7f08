// The same error budget on cart, whose applications answer 1% errors: within the 5% budget, and
// under half of it, so the stage is HEALTHY with the ratio among its reasons.
import type { Scenario } from "../../testing/rolloutScenario";
import { ERROR_RATIO_QUERY } from "./error-budget-breached.scenario";

export default {
  name: "an error budget within its limit",
  t0: "now",
  rollout: { budget: { maxNewPaths: 0, maxErrorRatio: 0.05 }, errorBudget: { query: ERROR_RATIO_QUERY, prometheus: "test" } },
  streams: [{ path: "web/frontend -> cart/legacy", from: -180, to: 21 }],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["cart"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["cart"] } },
    { at: 20, expect: { verdict: "HEALTHY", reasons: ["application error ratio 1% (last 15 min), budget 5%"] } },
  ],
} satisfies Scenario;
