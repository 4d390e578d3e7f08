// CANARY at 10:00:12 and EXPAND at 10:00:42: both fall in minute 10:00. The EXPAND is judged over
// its own scope from 10:00; the CANARY, 30 s long, has no whole minute to rate (INSUFFICIENT_DATA).
// The fixed baseline ends at the CANARY's minute for both.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "two transitions in one minute",
  rollout: { budget: { maxNewPaths: 0, maxExtraDropsPerMin: 1 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 30 },
    { path: "web/frontend -> cart/legacy", from: -180, to: 30 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop", "cart"] } },
    { at: 0.2, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 0.7, transition: { stage: "EXPAND", namespaces: ["shop", "cart"] } },
    { at: 20, expect: { verdict: "HEALTHY", figures: { currentDrops: 40, baselineMinutes: 180, baselineRatePerMin: 2, currentRatePerMin: 2 } } },
    { at: 20, stage: 2, expect: { verdict: "INSUFFICIENT_DATA", reasons: ["the stage began 0.5 min ago"] } },
  ],
} satisfies Scenario;
