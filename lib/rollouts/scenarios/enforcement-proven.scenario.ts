// Both paths audit mode predicted arrive as DROPPED once the canary enforces: enforcement is
// proven ("2 of 2 predicted paths now dropped") and the stage is HEALTHY.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "enforcement proven is HEALTHY with the figure",
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/reports", from: -100, to: 0, verdict: "AUDIT" },
    { path: "web/frontend -> shop/reports", from: 0, to: 60 },
    { path: "batch/etl -> shop/db", port: 5432, from: -100, to: 1, verdict: "AUDIT" },
    { path: "batch/etl -> shop/db", port: 5432, from: 1, to: 60 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    {
      at: 20,
      expect: {
        verdict: "HEALTHY",
        expected: ["batch/etl -> shop/db", "web/frontend -> shop/reports"],
        figures: { enforcement: { predicted: 2, enforced: 2, stillAudited: 0, notSeen: 0, judged: true } },
      },
    },
  ],
} satisfies Scenario;
