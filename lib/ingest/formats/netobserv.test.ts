import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { isPolicyReason } from "../policyReasons";
import { drop, fixtureLines, fixtureRecord } from "../../testing/formats";

const real = () => fixtureRecord("netobserv", "flow-netpol-allow.json");
const [lokiInvalidSequence, lokiNoSocket] = fixtureLines("netobserv")
  .filter(({ file }) => file.endsWith("loki-kernel-drops.jsonl"))
  .map(({ line }) => JSON.parse(line) as Record<string, unknown>) as [Record<string, unknown>, Record<string, unknown>];

const policyDrop = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...real(),
  Sampling: 50,
  Packets: 3,
  PktDropPackets: 2,
  PktDropLatestDropCause: "OVS_DROP_LAST_ACTION",
  K8S_ClusterName: "ocp-prod",
  NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Name: "deny-db", Namespace: "second-namespace", Direction: "Ingress" }],
  ...overrides,
});

describe("netobserv flow records", () => {
  it("a kernel drop under a NetpolNode allow event is stored with its kernel cause, not as a policy drop", () => {
    // The sample record of network-observability-cli: the ACL allowed the flow, then the kernel
    // dropped one packet (TCP invalid sequence).
    const event = drop(parseRecord(real(), "auto"));
    expect(event).toMatchObject({
      time: new Date(1709742328660),
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "second-namespace",
      srcWorkload: "Deployment/my-deployment",
      dstWorkload: "StatefulSet/my-statefulset",
      dstPort: 5678,
      protocol: "TCP",
      reason: "SKB_DROP_REASON_TCP_INVALID_SEQUENCE",
      policies: [],
      count: 1,
      sampleRate: 1,
      source: "netobserv",
    });
    expect(isPolicyReason(event.reason)).toBe(false);
  });

  it("real Loki records of kernel drops: pod to pod, and pod to node with no socket", () => {
    expect(drop(parseRecord(lokiInvalidSequence, "auto"))).toMatchObject({
      time: new Date(1708011867482),
      // FlowDirection came back from Loki as a label, i.e. a string.
      direction: "INGRESS",
      namespace: "openshift-route-monitor-operator",
      srcNamespace: "openshift-monitoring",
      srcPod: "prometheus-k8s-1",
      srcWorkload: "StatefulSet/prometheus-k8s",
      dstWorkload: "Deployment/blackbox-exporter",
      dstPort: 9115,
      reason: "SKB_DROP_REASON_TCP_INVALID_SEQUENCE",
      policies: [],
      count: 1,
    });
    expect(drop(parseRecord(lokiNoSocket, "auto"))).toMatchObject({
      direction: "UNKNOWN",
      namespace: "openshift-monitoring",
      srcWorkload: "Deployment/prometheus-adapter",
      dstWorkload: "Node/ip-10-0-1-137.ec2.internal",
      dstPod: null,
      reason: "SKB_DROP_REASON_NO_SOCKET",
      policies: [],
      // 8 packets in the flow, 1 of them dropped: only the dropped one counts.
      count: 1,
    });
  });

  it("kernel drops are scaled by sampling like policy drops", () => {
    const { NetworkEvents: _events, ...kernel } = policyDrop({ PktDropLatestDropCause: "SKB_DROP_REASON_NETFILTER_DROP" });
    expect(drop(parseRecord(kernel, "auto"))).toMatchObject({ reason: "SKB_DROP_REASON_NETFILTER_DROP", count: 100, sampleRate: 50, policies: [] });
  });

  it("a NetworkPolicy drop event: dropped packets scaled by sampling, marked as sampled", () => {
    const event = drop(parseRecord(policyDrop(), "auto"));
    expect(event).toMatchObject({
      time: new Date(1709742328660),
      cluster: "ocp-prod",
      node: "ip-XX-X-X-XX2.ec2.internal",
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "second-namespace",
      srcWorkload: "Deployment/my-deployment",
      dstWorkload: "StatefulSet/my-statefulset",
      srcPod: "src-pod",
      dstPort: 5678,
      protocol: "TCP",
      reason: "POLICY_DENIED",
      policies: ["second-namespace/deny-db"],
      count: 100,
      sampleRate: 50,
      source: "netobserv",
    });
  });

  it("unsampled flows count their packets exactly; admin policies are explicit denies", () => {
    const event = drop(
      parseRecord(
        policyDrop({
          Sampling: 1,
          PktDropPackets: 0,
          NetworkEvents: [{ Feature: "acl", Type: "AdminNetworkPolicy", Action: "drop", Name: "block-egress", Direction: "Egress" }],
        }),
        "auto",
      ),
    );
    expect(event).toMatchObject({ count: 3, sampleRate: 1, reason: "POLICY_DENY", policies: ["anp:block-egress"], direction: "EGRESS", namespace: "first-namespace" });
  });

  it("a policy drop cause without its network event is still a policy drop, naming no policy", () => {
    const { NetworkEvents: _events, ...record } = policyDrop({ PktDropLatestDropCause: "NetworkEvent_EgressFirewall", FlowDirection: 1 });
    expect(drop(parseRecord(record, "auto"))).toMatchObject({ reason: "POLICY_DENY", policies: [], direction: "EGRESS" });
  });

  it("ACL drops that no policy rollout causes (UDN isolation, multicast) are other drops", () => {
    const udn = policyDrop({
      PktDropLatestDropCause: undefined,
      PktDropPackets: undefined,
      NetworkEvents: [{ Feature: "acl", Type: "UDNIsolation", Action: "drop", Name: "AdvertisedUDNIsolation", Direction: "Ingress" }],
    });
    const event = drop(parseRecord(udn, "auto"));
    expect(event).toMatchObject({ reason: "NetworkEvent_UDNIsolation", policies: [], count: 150 });
    expect(isPolicyReason(event.reason)).toBe(false);
  });

  it("ignores flows without a drop, with one reason for all of them", () => {
    const { NetworkEvents: _events, PktDropLatestDropCause: _cause, PktDropPackets: _packets, ...clean } = real();
    const allowed = { ...clean, NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "allow", Name: "allow-web" }] };
    expect(parseRecord(clean, "auto")).toEqual({ kind: "ignored", reason: "netobserv flow without a drop (no drop network event, no dropped packets)" });
    expect(parseRecord({ ...allowed, SrcPort: 4321 }, "auto")).toEqual(parseRecord(clean, "auto"));
  });

  it("ignores duplicates seen on another interface", () => {
    expect(parseRecord(policyDrop({ Duplicate: true }), "auto").kind).toBe("ignored");
  });

  it("rejects a record without a time", () => {
    const { TimeFlowStartMs: _start, TimeReceived: _received, ...untimed } = policyDrop();
    expect(parseRecord(untimed, "auto")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("TimeFlowStartMs") });
  });

  it("rejects a start no Date can hold, rather than falling back to TimeReceived", () => {
    for (const start of [9e15, 1e300, -1, "9000000000000000"]) {
      expect(parseRecord(policyDrop({ TimeFlowStartMs: start, TimeReceived: 1796119200 }), "auto"), String(start)).toMatchObject({
        kind: "rejected",
        reason: "TimeFlowStartMs: not milliseconds since the epoch in 1970..9999",
      });
    }
    const { TimeFlowStartMs: _start, ...received } = policyDrop({ TimeReceived: 1796119200 });
    expect(drop(parseRecord(received, "auto")).time).toEqual(new Date(1796119200_000));
  });

  it.each(fixtureLines("netobserv"))("parses every fixture record ($file) as a drop", ({ line }) => {
    expect(parseRecord(JSON.parse(line), "auto").kind).toBe("drop");
  });
});
