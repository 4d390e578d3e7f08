// Audit mode predicted web/frontend -> shop/reports. The canary should enforce it, but the path
// keeps arriving as AUDIT: the policy was left in audit mode. Past the grace period (10 min) the
// stage is NOT_ENFORCED, which gates fail (and promoting it needs an override): policy that is not
// enforced is theatre.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "audit mode left on after CANARY is NOT_ENFORCED",
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: "web/frontend -> shop/reports", from: -100, to: 60, verdict: "AUDIT" },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 8, expect: { verdict: "HEALTHY", figures: { enforcement: { predicted: 1, enforced: 0, judged: false } } } },
    {
      at: 12,
      expect: {
        verdict: "NOT_ENFORCED",
        reasonsAre: ["1 of 1 predicted drop path(s) still arrive only as AUDIT 10 min after enforcement began: is the policy still in audit mode?"],
        figures: { enforcement: { predicted: 1, enforced: 0, stillAudited: 1, judged: true } },
      },
    },
    // Expanding a stage that does not enforce needs a recorded override, as a breach does.
    { at: 13, transition: { stage: "EXPAND", namespaces: ["shop", "cart"] }, status: 409, error: "CANARY is NOT_ENFORCED" },
  ],
} satisfies Scenario;
