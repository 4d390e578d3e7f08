import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { parseHubble } from "./hubble";
import type { JsonObject } from "./json";
import { drop, fixtureLines, fixtureRecord } from "../../testing/formats";

const load = (file: string): JsonObject => fixtureRecord("hubble", file);

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

  it.each(fixtureLines("hubble"))("parses every fixture record ($file) as a drop", ({ line }) => {
    expect(parseRecord(JSON.parse(line), "auto").kind).toBe("drop");
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
    expect(verdictEvent.kind).toBe("ignored");
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
    expect(parseHubble({ flow: { ...base, time: "yesterday" } })).toMatchObject({ kind: "rejected", reason: expect.stringContaining("time:") });
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
