// Cilium reports one denied packet twice: a Drop event (counted) and a PolicyVerdict event, which
// alone names the denying policy (`egress_denied_by`). The pair counts once, and the drop path
// carries the policy's name, so health can tell the rollout's deny policy from others.
// The PolicyVerdict record is a real one (fixtures/hubble/policy-verdict-denied-by.jsonl, Cilium
// 1.18.3); its Drop event is built from it the way Hubble's parser fills one (hubble.test.ts).
import { readFileSync } from "node:fs";
import type { Scenario } from "../../testing/rolloutScenario";

const verdictEvent = JSON.parse(
  readFileSync(new URL("../../ingest/formats/fixtures/hubble/policy-verdict-denied-by.jsonl", import.meta.url), "utf8").split("\n")[0] as string,
) as { flow: Record<string, unknown> };
type FlowFields = Record<string, unknown>;

/** The PolicyVerdict event and its packet's Drop event, at `time`, on `cluster`'s node. */
function pair(time: string, cluster: string, n: number): unknown[] {
  const node = `${cluster}/cilium-w1`;
  const base: FlowFields = { ...verdictEvent.flow, time, node_name: node };
  const { egress_denied_by: _names, policy_match_type: _match, ...unnamed } = base;
  return [
    { flow: { ...base, uuid: `verdict-${n}-${cluster}` }, node_name: node, time },
    { flow: { ...unnamed, uuid: `drop-${n}-${cluster}`, event_type: { type: 1, sub_type: 181 } }, node_name: node, time },
  ];
}

// Hubble names the source by its workload (Deployment/...) and the destination, which has no
// `workloads` in this record, by its pod name.
const PATH = "net-lab/Deployment/traffic-generator -> net-lab/echo-server";

export default {
  name: "a Cilium Drop + PolicyVerdict pair counts once and names its policy",
  rollout: { policies: ["deny-tg-to-echo"], budget: { maxNewPaths: 0 } },
  streams: [{ path: "web/frontend -> net-lab/legacy", from: -180, to: 30 }],
  records: [5, 6, 7, 8, 9].map((minute) => ({
    at: minute,
    lines: (at: (m: number) => string, cluster: (alias: string) => string) => pair(at(minute + 0.1), cluster("prod-eu"), minute),
  })),
  steps: [
    { at: -120, transition: { stage: "OBSERVE", namespaces: ["net-lab"] } },
    { at: 0, transition: { stage: "CANARY", namespaces: ["net-lab"] } },
    {
      at: 12,
      expect: {
        verdict: "BREACHED",
        surprises: [PATH],
        paths: [{ path: PATH, dropped: 5, policies: ["net-lab/deny-tg-to-echo"], attribution: "denied by the rollout's policy" }],
        figures: { currentDrops: 12 + 5 },
      },
    },
  ],
} satisfies Scenario;
