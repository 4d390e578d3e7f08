// Drops no policy causes (a conntrack table full, a kernel socket drop) appear in the canary's
// namespace right after the transition. They are "other drops in scope": shown, never a surprise,
// never in the rates. Before, each became a surprise and the verdict flapped as the baseline grew.
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "conntrack and kernel drops never touch the budget",
  rollout: { budget: { maxNewPaths: 0, maxIncreasePct: 10 } },
  streams: [
    { path: "web/frontend -> shop/legacy", from: -180, to: 90 },
    { path: "web/frontend -> shop/cart", from: 3, to: 90, reason: "CT_MAP_INSERTION_FAILED", perMinute: 40 },
    { path: "batch/etl -> shop/db", port: 5432, from: 10, to: 90, reason: "SKB_DROP_REASON_NO_SOCKET", perMinute: 2 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 30, expect: { verdict: "HEALTHY", surprises: [], figures: { otherReasonDrops: 27 * 40 + 20 * 2, currentRatePerMin: 1, increasePct: 0 } } },
    { at: 89, expect: { verdict: "HEALTHY", surprises: [] } },
  ],
} satisfies Scenario;
