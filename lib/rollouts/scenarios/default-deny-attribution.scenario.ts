// Default denies name no policy in any CNI. Inside the rollout's scope and stage, Dropboard says
// whose they most likely are: an audited path enforced by the canary is expected and attributed to
// the rollout's policy; an unnamed path nobody predicted is a surprise, attributed the same way.
import type { Scenario } from "../../testing/rolloutScenario";

const LIKELY = "default deny — likely `default-deny` (rollout `";

export default {
  name: "default-deny drops are attributed to the rollout",
  rollout: { policies: ["default-deny"], budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 60 },
    { path: "web/frontend -> shop/reports", from: -100, to: 0, verdict: "AUDIT" },
    { path: "web/frontend -> shop/reports", from: 0, to: 60 },
    { path: "web/search -> shop/catalog", from: 30, to: 60 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    {
      at: 20,
      expect: {
        verdict: "HEALTHY",
        expected: ["web/frontend -> shop/reports"],
        paths: [{ path: "web/frontend -> shop/reports", attribution: LIKELY }],
        figures: { defaultDenyDrops: 40, expected: 1 },
      },
    },
    { at: 31, expect: { verdict: "BREACHED", surprises: ["web/search -> shop/catalog"], paths: [{ path: "web/search -> shop/catalog", attribution: LIKELY }] } },
  ],
} satisfies Scenario;
