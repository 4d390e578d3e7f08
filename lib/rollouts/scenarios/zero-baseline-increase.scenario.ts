// Nothing was dropped before the canary (the cluster only sent heartbeats), so the baseline rate is
// 0 and a percentage of it is undefined. `maxIncreasePct` is measured against a floor of 1 drop/min:
// 1 drop/min is +100% (at a 100% budget: within it, over half of it), 3 drops/min is +300%: BREACHED.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "an increase budget over a zero baseline",
  rollout: { budget: { maxNewPaths: null, maxIncreasePct: 100 } },
  heartbeats: [{ cluster: "prod-eu", from: -180, to: 0, every: 1 }],
  streams: [
    { path: "web/frontend -> shop/cart", from: 1, to: 20, perMinute: 1 },
    { path: "web/frontend -> shop/cart", from: 20, to: 60, perMinute: 3 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    {
      at: 19,
      expect: { verdict: "AT_RISK", figures: { baselineRatePerMin: 0, currentRatePerMin: 1, increasePct: 100, surprises: 1 } },
    },
    {
      at: 40,
      expect: { verdict: "BREACHED", reasonsAre: ["drop rate +300% vs baseline (last 15 min), budget +100%"], figures: { currentRatePerMin: 3 } },
    },
  ],
} satisfies Scenario;
