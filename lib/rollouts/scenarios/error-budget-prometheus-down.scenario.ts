// The error budget's Prometheus does not answer: that signal is INSUFFICIENT_DATA with the reason,
// never a silent pass, even though the drops alone look healthy.
import type { Scenario } from "../../testing/rolloutScenario";
import { ERROR_RATIO_QUERY } from "./error-budget-breached.scenario";

export default {
  name: "Prometheus down: the error budget is insufficient data",
  rollout: { budget: { maxNewPaths: 0, maxErrorRatio: 0.05 }, errorBudget: { query: ERROR_RATIO_QUERY, prometheus: "down" } },
  streams: [{ path: "web/frontend -> shop/legacy", from: -180, to: 30 }],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 20, expect: { verdict: "INSUFFICIENT_DATA", reasonsAre: ["error budget: Prometheus is unreachable"] } },
  ],
} satisfies Scenario;
