import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { parseHubble } from "./hubble";
import type { JsonObject } from "./json";
import type { DropEvent, ParseOutcome } from "../types";
import { drop, fixtureLines, fixtureRecord } from "../../testing/formats";

const load = (file: string): JsonObject => fixtureRecord("hubble", file);

function annotated(outcome: ParseOutcome): DropEvent {
  if (outcome.kind !== "annotation") throw new Error(`expected an annotation, got ${outcome.kind}`);
  expect(outcome.reason).toBe("policy-verdict copy");
  return outcome.event;
}

/** The drop path's fields (DESIGN.md "A drop path"), plus the namespace charts group by. */
const pathOf = (event: DropEvent) => ({
  cluster: event.cluster,
  direction: event.direction,
  namespace: event.namespace,
  srcNamespace: event.srcNamespace,
  srcWorkload: event.srcWorkload,
  dstNamespace: event.dstNamespace,
  dstWorkload: event.dstWorkload,
  dstPort: event.dstPort,
  protocol: event.protocol,
});

describe("hubble parser on real records", () => {
  it("reads the exporter file shape: cluster from the node name prefix, reason by name", () => {
    const event = drop(parseRecord(load("exporter-dropped.jsonl"), "auto"));
    expect(event).toMatchObject({
      time: new Date("2023-08-21T12:12:18.510Z"),
      cluster: "kind-kind",
      node: "kind-worker",
      verdict: "DROPPED",
      direction: "UNKNOWN",
      namespace: "default",
      srcNamespace: "default",
      srcPod: "xwing",
      srcWorkload: "xwing",
      srcIp: "10.244.1.60",
      srcPort: 44916,
      dstPod: "deathstar-7848d6c4d5-th9v2",
      dstWorkload: "deathstar",
      dstPort: 80,
      protocol: "TCP",
      reason: "POLICY_DENIED",
      count: 1,
      source: "hubble",
    });
    expect(event.key).toMatch(/^hubble:/);
  });

  it("reads `hubble observe -o json` captured from a live cluster: uuid key, egress -> source namespace", () => {
    const event = drop(parseRecord(load("observe-jsonpb-captured.jsonl"), "auto"));
    expect(event).toMatchObject({
      key: "hubble:2848b6b6-59c0-4be2-8bdc-3a5861de4c68",
      cluster: null,
      node: "k3d-agent-zone-control-agent-0",
      direction: "EGRESS",
      namespace: "agent-restricted",
      srcNamespace: "agent-restricted",
      dstNamespace: "corp-prod",
      srcIdentity: 60176,
      dstIdentity: 10337,
      dstPort: 8080,
      reason: "POLICY_DENIED",
    });
    expect(event.srcLabels).toContain("k8s:app=agent-probe");
  });

  it("reads the bare flow of older Hubble: reason only as event_type.sub_type", () => {
    const event = drop(parseRecord(load("observe-json-bare.json"), "auto"));
    expect(event).toMatchObject({
      verdict: "DROPPED",
      reason: "POLICY_DENIED",
      srcIp: "1.1.1.1",
      dstIp: "2.2.2.2",
      dstPort: 8080,
      namespace: "(none)",
      node: "k8s1",
    });
  });

  it("reads a PolicyVerdict event naming its deny policy (Cilium 1.18.3) as an annotation, not a drop", () => {
    const event = annotated(parseRecord(load("policy-verdict-denied-by.jsonl"), "auto"));
    expect(event).toMatchObject({
      key: "hubble:cd75b2ac-8dd3-486b-beca-3d17d9d56cff",
      cluster: "topgun",
      node: "cilium-w1",
      verdict: "DROPPED",
      direction: "EGRESS",
      namespace: "net-lab",
      srcWorkload: "Deployment/traffic-generator",
      dstWorkload: "echo-server",
      dstPort: 80,
      protocol: "TCP",
      reason: "POLICY_DENY",
      policies: ["net-lab/deny-tg-to-echo"],
    });
  });

  it("reads a default-deny PolicyVerdict event (Cilium 1.11, bare flow) as an annotation naming no policy", () => {
    const event = annotated(parseRecord(load("policy-verdict-default-deny.json"), "auto"));
    expect(event).toMatchObject({
      cluster: "cluster-name",
      direction: "INGRESS",
      namespace: "namespace-name",
      srcWorkload: "reserved:remote-node",
      dstWorkload: "pod-name-nginx",
      dstPort: 8182,
      reason: "POLICY_DENIED",
      policies: [],
    });
  });

  it.each(fixtureLines("hubble"))("parses every fixture record ($file): a drop, or an annotation for a PolicyVerdict copy", ({ line }) => {
    const record = JSON.parse(line) as JsonObject;
    const flow = (record.flow ?? record) as JsonObject;
    const copy = flow.verdict === "DROPPED" && (flow.event_type as JsonObject | undefined)?.type === 5;
    expect(parseRecord(record, "auto").kind).toBe(copy ? "annotation" : "drop");
  });
});

/**
 * The Drop event Hubble makes of the packet a PolicyVerdict event reports, per cilium/cilium
 * pkg/hubble/parser/threefour/parser.go: event_type {1, sub_type = drop reason}, the same drop reason,
 * packet and endpoints, no `*_denied_by` or `policy_match_type` (those are PolicyVerdict-only), its own
 * uuid and a slightly later time (the Drop is sent after the verdict).
 */
function dropTwin(verdictRecord: JsonObject, changes: JsonObject = {}): JsonObject {
  const flow = { ...(verdictRecord.flow as JsonObject) };
  for (const key of ["egress_denied_by", "ingress_denied_by", "policy_match_type", "policy_log"]) delete flow[key];
  const reason = flow.drop_reason as number;
  return {
    ...verdictRecord,
    flow: { ...flow, uuid: "0f5c1c9e-5d0a-4c57-9d0e-2b1f3a4c5d6e", time: "2026-07-31T10:41:02.202481210Z", event_type: { type: 1, sub_type: reason }, ...changes },
  };
}

describe("hubble: the Drop and PolicyVerdict events of one denied packet", () => {
  it("counts the Drop event and adds the PolicyVerdict's policy names to the same drop path", () => {
    const verdictRecord = load("policy-verdict-denied-by.jsonl");
    const counted = drop(parseRecord(dropTwin(verdictRecord), "auto"));
    const copy = annotated(parseRecord(verdictRecord, "auto"));
    expect(counted.policies).toEqual([]);
    expect(copy.policies).toEqual(["net-lab/deny-tg-to-echo"]);
    expect(pathOf(copy)).toEqual(pathOf(counted));
    expect(copy.reason).toBe(counted.reason);
    expect(copy.key).not.toBe(counted.key);
  });

  it("puts an EGRESS verdict whose source is not a local endpoint where its Drop event goes: INGRESS", () => {
    // Host firewall egress: the host is no endpoint-manager endpoint, so the source has no ID and Hubble's
    // Drop event compares dn.Source (the host endpoint) with srcEP.ID = 0 and says INGRESS.
    const host = { identity: 1, labels: ["reserved:host"] };
    const world = { identity: 2, labels: ["reserved:world"] };
    const verdictFlow = { ...base, source: host, destination: world, traffic_direction: "EGRESS", event_type: { type: 5 }, drop_reason_desc: "POLICY_DENIED" };
    const dropFlow = { ...verdictFlow, traffic_direction: "INGRESS", event_type: { type: 1, sub_type: 133 }, time: "2026-11-28T10:00:00.123470000Z" };
    const copy = annotated(parseHubble({ flow: verdictFlow }));
    expect(pathOf(copy)).toEqual(pathOf(drop(parseHubble({ flow: dropFlow }))));
    expect(copy.direction).toBe("INGRESS");
  });

  it("keeps an EGRESS verdict EGRESS when its source is a pod, even with the endpoint ID masked away", () => {
    const verdictFlow = { ...base, traffic_direction: "EGRESS", event_type: { type: 5 }, drop_reason_desc: "POLICY_DENIED" };
    expect(annotated(parseHubble({ flow: verdictFlow })).direction).toBe("EGRESS");
    expect(annotated(parseHubble({ flow: { ...verdictFlow, source: { ...base.source, ID: 1234 } } })).direction).toBe("EGRESS");
  });

  it("gives a copy without a uuid a key of its own, even at its Drop event's time", () => {
    const dropEvent = drop(parseHubble({ flow: { ...base, event_type: { type: 1, sub_type: 133 } } }));
    const copy = annotated(parseHubble({ flow: { ...base, event_type: { type: 5 } } }));
    expect(copy.key).not.toBe(dropEvent.key);
    expect(dropEvent.key).toBe(drop(parseHubble({ flow: base })).key);
  });

  it("gives a copy without a drop reason the one its Drop event has: POLICY_DENY when it names a policy", () => {
    const verdict = { flow: { ...base, event_type: { type: 5 } } };
    expect(annotated(parseHubble(verdict)).reason).toBe("POLICY_DENIED");
    const named = { flow: { ...verdict.flow, ingress_denied_by: [{ name: "deny-web", namespace: "db" }] } };
    expect(annotated(parseHubble(named)).reason).toBe("POLICY_DENY");
    expect(annotated(parseHubble({ flow: { ...verdict.flow, drop_reason_desc: "AUTH_REQUIRED" } })).reason).toBe("AUTH_REQUIRED");
  });
});

const base = {
  time: "2026-11-28T10:00:00.123456789Z",
  verdict: "DROPPED",
  IP: { source: "10.0.0.1", destination: "10.0.0.2" },
  l4: { TCP: { source_port: 40000, destination_port: 5432 } },
  source: { namespace: "web", pod_name: "frontend-6d4cf56db6-abcde", workloads: [{ name: "frontend", kind: "Deployment" }] },
  destination: { namespace: "db", pod_name: "postgres-0" },
  traffic_direction: "INGRESS",
  node_name: "prod-eu/worker-1",
};

describe("hubble parser traps", () => {
  it("ignores non-drop verdicts instead of rejecting them", () => {
    expect(parseHubble({ flow: { ...base, verdict: "FORWARDED" } })).toEqual({ kind: "ignored", reason: "verdict FORWARDED is not a drop" });
    expect(parseHubble({ flow: { ...base, verdict: 1 } }).kind).toBe("ignored");
    expect(parseHubble({ flow: { ...base, verdict: undefined } }).kind).toBe("ignored");
  });

  it("keeps AUDIT (would-drop) flows", () => {
    const event = drop(parseHubble({ flow: { ...base, verdict: "AUDIT", event_type: { type: 5 } } }));
    expect(event.verdict).toBe("AUDIT");
    expect(event.reason).toBe("POLICY_DENIED");
  });

  it("counts a packet seen as both a Drop event and a PolicyVerdict event once", () => {
    const dropEvent = parseHubble({ flow: { ...base, event_type: { type: 1, sub_type: 133 } } });
    const verdictEvent = parseHubble({ flow: { ...base, event_type: { type: 5 } } });
    expect(dropEvent.kind).toBe("drop");
    expect(verdictEvent.kind).toBe("annotation");
  });

  it("maps numeric-only reasons: drop_reason, then event_type.sub_type; unknown numbers stay visible", () => {
    expect(drop(parseHubble({ ...base, drop_reason: 181 })).reason).toBe("POLICY_DENY");
    expect(drop(parseHubble({ ...base, event_type: { type: 1, sub_type: 189 } })).reason).toBe("AUTH_REQUIRED");
    expect(drop(parseHubble({ ...base, drop_reason_desc: 165 })).reason).toBe("NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION");
    expect(drop(parseHubble({ ...base, drop_reason: 250 })).reason).toBe("DROP_REASON_250");
  });

  it("names L7 drops that carry no reason", () => {
    const event = drop(parseHubble({ flow: { ...base, Type: "L7", l7: { type: "RESPONSE", http: { code: 403 } } } }));
    expect(event.reason).toBe("L7_POLICY_DENIED");
  });

  it("survives missing fields (jsonpb omits zero values)", () => {
    const event = drop(parseHubble({ flow: { time: base.time, verdict: "DROPPED" } }));
    expect(event).toMatchObject({ namespace: "(none)", protocol: "UNKNOWN", direction: "UNKNOWN", reason: "UNKNOWN", node: null, cluster: null });
  });

  it("rejects a drop without a usable time, saying which field", () => {
    expect(parseHubble({ flow: { ...base, time: undefined } })).toEqual({ kind: "rejected", reason: "time: missing (flow.time)" });
    expect(parseHubble({ flow: { ...base, time: "yesterday" } })).toMatchObject({ kind: "rejected", reason: expect.stringContaining("flow.time:") });
  });

  it("reads RFC 3339 times only: a zone is required, no locale formats, no numbers", () => {
    for (const time of ["12/01/2026", "Tue, 01 Dec 2026 10:00:00 GMT", "2026-12-01T10:00:00", "2026-12-01 10:00:00Z", "+275760-09-13T00:00:00Z"]) {
      expect(parseHubble({ flow: { ...base, time } })).toMatchObject({ kind: "rejected", reason: expect.stringContaining("flow.time: ") });
    }
    expect(parseHubble({ flow: { ...base, time: 1764324000 } })).toEqual({ kind: "rejected", reason: "flow.time: must be an RFC 3339 string, not a number" });
    expect(parseHubble({ flow: { ...base, time: undefined }, time: "01/12/2026" })).toMatchObject({ reason: expect.stringMatching(/^time: /) });
    expect(drop(parseHubble({ flow: { ...base, time: "2026-12-01T12:00:00.5+02:00" } })).time).toEqual(new Date("2026-12-01T10:00:00.500Z"));
  });

  it("takes workloads, else derives them from pod names, else reserved identities", () => {
    const event = drop(parseHubble({ flow: base }));
    expect(event.srcWorkload).toBe("Deployment/frontend");
    expect(event.dstWorkload).toBe("postgres");
    const world = drop(parseHubble({ flow: { ...base, source: { identity: 2, labels: ["reserved:world"] } } }));
    expect(world.srcWorkload).toBe("reserved:world");
  });

  it("reads policy names from ingress_denied_by / egress_denied_by", () => {
    const event = drop(
      parseHubble({
        flow: { ...base, ingress_denied_by: [{ name: "deny-all", namespace: "db", kind: "CiliumNetworkPolicy" }, { name: "ccnp-block" }] },
      }),
    );
    expect(event.policies).toEqual(["db/deny-all", "ccnp-block"]);
  });

  it("reads ICMP type where there is no port", () => {
    const event = drop(parseHubble({ flow: { ...base, l4: { ICMPv4: { type: 8 } } } }));
    expect(event).toMatchObject({ protocol: "ICMPv4", icmpType: 8, dstPort: null });
    expect(drop(parseHubble({ flow: { ...base, l4: { ICMPv6: {} } } })).icmpType).toBe(0);
  });

  it("gives the same flow the same key in every shape, and different flows different keys", () => {
    const wrapped = drop(parseHubble({ flow: base })).key;
    const bare = drop(parseHubble(base)).key;
    expect(bare).toBe(wrapped);
    expect(drop(parseHubble({ flow: { ...base, time: "2026-11-28T10:00:00.123456790Z" } })).key).not.toBe(wrapped);
  });

  it("ignores hubble's non-flow records", () => {
    expect(parseRecord({ node_status: { state: "NODE_CONNECTED" } }, "auto").kind).toBe("ignored");
    expect(parseRecord({ lost_events: { num_events_lost: 3 } }, "auto").kind).toBe("ignored");
  });
});
