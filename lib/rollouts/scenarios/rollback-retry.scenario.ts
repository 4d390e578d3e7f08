// CANARY at 10:00 breaks web/frontend -> shop/checkout, never seen as AUDIT: BREACHED. Rolled back
// at 10:10 and retried at 10:12, the same path is dropped again. A baseline that followed the stage
// would soon hold the first canary's drops and call the path "not new" (HEALTHY by 10:17); the
// fixed baseline (before the first enforcing transition) keeps it a surprise until acknowledged.
import type { Scenario } from "../../testing/rolloutScenario";

const P = "web/frontend -> shop/checkout";

export default {
  name: "rollback then retry keeps the surprise",
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: P, from: 2, to: 10 },
    { path: P, from: 12, to: 60 },
  ],
  rollout: { budget: { maxNewPaths: 0 } },
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 3, expect: { verdict: "BREACHED", surprises: [P], reasonsAre: ["1 surprise drop path(s), budget 0"] } },
    { at: 10, transition: { stage: "ROLLED_BACK" } },
    { at: 11, expect: { verdict: "INSUFFICIENT_DATA", state: "ROLLED_BACK" } },
    { at: 12, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 13, expect: { verdict: "BREACHED", surprises: [P] } },
    { at: 17, expect: { verdict: "BREACHED", surprises: [P] } },
    { at: 45, expect: { verdict: "BREACHED", surprises: [P], figures: { baselineMinutes: 180 } } },
    { at: 46, acknowledge: { path: P, reason: "checkout calls are being moved off this port" } },
    { at: 47, expect: { verdict: "HEALTHY", surprises: [], figures: { acknowledged: 1 } } },
  ],
} satisfies Scenario;
