// The collector stops at 10:19 and starts again at 10:30. Silence is not health: 5 minutes after
// its last batch the stage is INSUFFICIENT_DATA saying since when, and HEALTHY again once data
// comes back. (Before, falling rates kept it HEALTHY.)
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "a silent collector is insufficient data, not health",
  rollout: { budget: { maxNewPaths: 0, maxIncreasePct: 50 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 20 },
    { path: "web/frontend -> shop/legacy", from: 30, to: 90 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 15, expect: { verdict: "HEALTHY" } },
    { at: 24, expect: { verdict: "HEALTHY" } },
    { at: 25, expect: { verdict: "INSUFFICIENT_DATA", reasonsAre: ["no data from prod-eu since 10:19 UTC"] } },
    { at: 29, expect: { verdict: "INSUFFICIENT_DATA", reasonsAre: ["no data from prod-eu since 10:19 UTC"] } },
    { at: 35, expect: { verdict: "HEALTHY" } },
    { at: 60, expect: { verdict: "HEALTHY", figures: { currentRatePerMin: 1, increasePct: 0 } } },
  ],
} satisfies Scenario;
