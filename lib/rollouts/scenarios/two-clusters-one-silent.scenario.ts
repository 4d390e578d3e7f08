// A rollout on two clusters: prod-us's collector stops at 10:19 while prod-eu keeps sending. The
// stage cannot be judged (prod-us may be dropping anything), and the reason names prod-us only.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "two clusters, one silent",
  clusters: ["prod-eu", "prod-us"],
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> shop/legacy", cluster: "prod-eu", from: -180, to: 90 },
    { path: "web/frontend -> shop/legacy", cluster: "prod-us", from: -180, to: 20 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 15, expect: { verdict: "HEALTHY" } },
    { at: 30, expect: { verdict: "INSUFFICIENT_DATA", reasonsAre: ["no data from prod-us since 10:19 UTC"] } },
  ],
} satisfies Scenario;
