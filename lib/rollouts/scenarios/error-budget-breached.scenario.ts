// Drops look clean (no surprise, same rates), but the applications in scope answer 10% errors:
// the policy broke something no collector sees (a timeout, a client in another cluster). The
// error budget (maxErrorRatio 5%) breaches the stage. Prometheus (a real one, scraping the test's
// exporter: shop answers 90 req/s 200 and 10 req/s 503) evaluates the query.
import type { Scenario } from "../../testing/rolloutScenario";

export const ERROR_RATIO_QUERY =
  'sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window])) / sum(rate(http_requests_total{namespace=~"$namespaces"}[$window]))';

export default {
  name: "an error budget breached with no surprise drop",
  t0: "now",
  rollout: { budget: { maxNewPaths: 0, maxErrorRatio: 0.05 }, errorBudget: { query: ERROR_RATIO_QUERY, prometheus: "test" } },
  streams: [{ path: "web/frontend -> shop/legacy", from: -180, to: 21 }],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["shop"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["shop"] } },
    { at: 20, expect: { verdict: "BREACHED", reasonsAre: ["application error ratio 10% (last 15 min), budget 5%"], figures: { surprises: 0 } } },
  ],
} satisfies Scenario;
