// The verdict's scenario suite: each file in ./scenarios is a timeline (records, transitions,
// heartbeats) with the verdict known in advance at given minutes, run through the real routes and
// the real database (lib/testing/rolloutScenario.ts).
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../db/embedded";
import type { RolloutHealth, StagePath } from "../queries/rollouts/getRolloutHealth";
import { startPrometheus, type TestPrometheus } from "../testing/prometheus";
import { pathLabel, runScenario, type Expectation, type Scenario, type ScenarioOptions } from "../testing/rolloutScenario";

const names = readdirSync(new URL("./scenarios", import.meta.url)).filter((f) => f.endsWith(".scenario.ts")).map((f) => f.slice(0, -".scenario.ts".length)).sort();
const scenarios = await Promise.all(
  names.map(async (name) => ({ file: `${name}.scenario.ts`, scenario: ((await import(`./scenarios/${name}.scenario.ts`)) as { default: Scenario }).default })),
);

const labels = (paths: StagePath[]) => paths.map(pathLabel).sort();

function check(health: RolloutHealth, e: Expectation, where: string): void {
  const context = `${where}: ${health.verdict} (${health.reasons.join("; ")})`;
  expect(health.verdict, context).toBe(e.verdict);
  if (e.state) expect(health.state, context).toBe(e.state);
  for (const reason of e.reasons ?? []) expect(health.reasons.some((r) => r.includes(reason)), `${context}: a reason containing "${reason}"`).toBe(true);
  if (e.reasonsAre) expect(health.reasons, context).toEqual(e.reasonsAre);
  if (e.figures) expect(health.figures, context).toMatchObject(e.figures);
  if (e.surprises) expect(labels(health.surprises), context).toEqual([...e.surprises].sort());
  if (e.expected) expect(labels(health.expected), context).toEqual([...e.expected].sort());
  if (e.otherPolicies) expect(labels(health.otherPolicies), context).toEqual([...e.otherPolicies].sort());
  for (const want of e.paths ?? []) {
    const path = [...health.surprises, ...health.expected, ...health.acknowledged, ...health.otherPolicies].find((p) => pathLabel(p) === want.path);
    expect(path, `${context}: path ${want.path}`).toBeDefined();
    if (!path) continue;
    if (want.attribution) expect(path.attributionText, context).toContain(want.attribution);
    if (want.policies) expect(path.policies, context).toEqual(want.policies);
    if (want.dropped !== undefined) expect(path.dropped, context).toBe(want.dropped);
  }
}

describe("rollout verdict scenarios", () => {
  // One real Prometheus for the error-budget scenarios: shop's applications answer 10% errors, cart's 1%.
  let prometheus: TestPrometheus | null = null;
  const options: ScenarioOptions = {};
  beforeAll(async () => {
    options.downUrl = `http://127.0.0.1:${await freePort()}`;
    if (scenarios.some(({ scenario }) => scenario.rollout.errorBudget?.prometheus === "test")) {
      prometheus = await startPrometheus({ shop: { "200": 90, "503": 10 }, cart: { "200": 99, "500": 1 } });
      options.prometheusUrl = prometheus.url;
    }
    // The operator's list of Prometheus servers rollouts may name.
    process.env.DROPBOARD_PROMETHEUS_URLS = [options.prometheusUrl, options.downUrl].filter(Boolean).join(",");
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  it("has scenarios", () => expect(scenarios.length).toBeGreaterThan(10));
  for (const { file, scenario } of scenarios) {
    it(`${scenario.name} (${file})`, () => runScenario(scenario, check, options), 60_000);
  }
});
