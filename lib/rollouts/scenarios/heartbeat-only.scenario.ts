// Cluster "edge" drops nothing, so it sends no records, only the collector's heartbeat. It stays
// live (the rollout is HEALTHY); when its heartbeats stop, the stage is INSUFFICIENT_DATA naming
// edge alone.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "a heartbeat-only cluster stays live",
  clusters: ["prod-eu", "edge"],
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [{ path: "web/frontend -> shop/legacy", from: -180, to: 90 }],
  heartbeats: [{ cluster: "edge", from: -10, to: 60, every: 0.5 }],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 30, expect: { verdict: "HEALTHY" } },
    { at: 64, expect: { verdict: "HEALTHY" } },
    { at: 66, expect: { verdict: "INSUFFICIENT_DATA", reasonsAre: ["no data from edge since 10:59 UTC"] } },
  ],
} satisfies Scenario;
