// A BREACHED canary may not be expanded by accident: EXPAND answers 409 saying why, unless the
// request carries an override reason, which is recorded with the transition.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "promoting a breached stage needs a recorded override",
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: "web/frontend -> shop/checkout", from: 2, to: 60 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 5, expect: { verdict: "BREACHED" } },
    { at: 10, transition: { stage: "EXPAND", namespaces: ["shop", "cart"] }, status: 409, error: "CANARY is BREACHED (1 surprise drop path(s), budget 0)" },
    { at: 11, transition: { stage: "ENFORCED" }, status: 409, error: 'promote with "override"' },
    { at: 12, transition: { stage: "EXPAND", namespaces: ["shop", "cart"], override: "checkout owners accept the outage window" } },
    { at: 13, transition: { stage: "ROLLED_BACK" } },
  ],
} satisfies Scenario;
