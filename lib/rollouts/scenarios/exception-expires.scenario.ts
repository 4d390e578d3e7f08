// A surprise is excepted for this rollout for 20 minutes (owner: sre). While the exception holds,
// the stage is HEALTHY; when it expires, the path is back in the budget, the stage BREACHED, and the
// reasons say which exception expired.
import type { Scenario } from "../../testing/rolloutScenario";

const S = "scan/probe -> shop/cart";

export default {
  name: "an exception expiring mid-stage",
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: S, from: 5, to: 60 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 6, expect: { verdict: "BREACHED", surprises: [S] } },
    { at: 6, acknowledge: { path: S, reason: "pen test this morning", owner: "sre", expiresInMinutes: 20, rolloutOnly: true } },
    { at: 10, expect: { verdict: "HEALTHY", surprises: [], figures: { acknowledged: 1 } } },
    {
      at: 27,
      expect: {
        verdict: "BREACHED",
        surprises: [S],
        reasonsAre: [
          "1 surprise drop path(s), budget 0",
          "the exception for scan/probe → shop/cart:8080/TCP expired at 10:26 UTC (owner sre: pen test this morning): it counts again",
        ],
      },
    },
  ],
} satisfies Scenario;
