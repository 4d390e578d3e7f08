import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { drop, fixtureRecord } from "../../testing/formats";

const real = () => fixtureRecord("netobserv", "flow-netpol-allow.json");

const policyDrop = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...real(),
  Sampling: 50,
  Packets: 3,
  PktDropPackets: 2,
  PktDropLatestDropCause: "OVS_DROP_ACTION",
  K8S_ClusterName: "ocp-prod",
  NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Name: "deny-db", Namespace: "second-namespace", Direction: "Ingress" }],
  ...overrides,
});

describe("netobserv flow records", () => {
  it("a real record whose only network event is an allow is not a policy drop", () => {
    expect(parseRecord(real(), "auto")).toEqual({ kind: "ignored", reason: "netobserv drop SKB_DROP_REASON_TCP_INVALID_SEQUENCE is not a policy drop" });
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

  it("ignores duplicates seen on another interface", () => {
    expect(parseRecord(policyDrop({ Duplicate: true }), "auto").kind).toBe("ignored");
  });

  it("rejects a record without a time", () => {
    const { TimeFlowStartMs: _start, TimeReceived: _received, ...untimed } = policyDrop();
    expect(parseRecord(untimed, "auto")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("TimeFlowStartMs") });
  });
});
