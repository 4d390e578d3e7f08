import { describe, expect, it } from "vitest";
import { parseTextRecord } from ".";
import { drop, fixtureLines } from "../../testing/formats";

const [reject, defaultDrop] = fixtureLines("antrea").map(({ line }) => line) as [string, string];

describe("antrea np.log lines", () => {
  it("reads a real Antrea-native Reject: ingress to the applied-to pod, the policy named", () => {
    const event = drop(parseTextRecord(reject, "auto"));
    expect(event).toMatchObject({
      time: new Date("2023-07-04T12:45:21.804Z"),
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "default",
      dstNamespace: "default",
      dstPod: "nettoolv3",
      dstWorkload: "nettoolv3",
      srcNamespace: null,
      srcIp: "10.10.1.7",
      srcPort: 53646,
      dstIp: "10.10.1.14",
      dstPort: 80,
      protocol: "TCP",
      reason: "POLICY_DENY",
      policies: ["default/reject-tcp-policy"],
      count: 1,
      source: "antrea",
    });
  });

  it("reads a real K8s default deny: no policy named, no ports for ICMP", () => {
    const event = drop(parseTextRecord(defaultDrop, "auto"));
    expect(event).toMatchObject({ reason: "POLICY_DENIED", policies: [], protocol: "ICMPv4", srcPort: null, dstPort: null, dstPod: "nettool" });
  });

  it("counts the packets Antrea merged into one line", () => {
    const line =
      "2023/07/03 23:24:37.424024 AntreaPolicyEgressRule AntreaNetworkPolicy:default/reject-icmp-policy RejectICMPRequest Egress Reject 14500 default/nettool 10.10.1.7 <nil> 10.10.2.3 <nil> ICMP 84 icmp-log-label [2 packets in 1.000855539s]";
    const event = drop(parseTextRecord(line, "auto"));
    expect(event).toMatchObject({ count: 2, direction: "EGRESS", namespace: "default", srcPod: "nettool", dstNamespace: null });
  });

  it("reads the older layout without rule name, direction and applied-to pod", () => {
    const line = "2021/06/24 23:56:41.346165 AntreaPolicyEgressRule AntreaClusterNetworkPolicy:acnp-deny-egress Drop 44900 10.10.1.65 35402 10.0.0.5 80 TCP 60 [3 packets in 1.011379442s]";
    const event = drop(parseTextRecord(line, "auto"));
    expect(event).toMatchObject({ direction: "EGRESS", count: 3, policies: ["acnp-deny-egress"], namespace: "(none)", dstPort: 80 });
  });

  it("ignores Allow and Pass lines", () => {
    const allow = "2023/07/04 12:31:02.801442 IngressRule K8sNetworkPolicy:default/allow-tcp-80 <nil> Ingress Allow 190 default/nettool 10.10.1.13 57050 10.10.1.7 80 TCP 60 <nil>";
    expect(parseTextRecord(allow, "auto").kind).toBe("ignored");
    expect(parseTextRecord(allow.replace(" Allow ", " Pass "), "antrea").kind).toBe("ignored");
  });

  it("different lines have different keys; the same line the same key", () => {
    expect(drop(parseTextRecord(reject, "auto")).key).toBe(drop(parseTextRecord(`  ${reject} `, "auto")).key);
    expect(drop(parseTextRecord(reject, "auto")).key).not.toBe(drop(parseTextRecord(defaultDrop, "auto")).key);
  });

  it("rejects truncated and unknown lines, saying what was tried", () => {
    expect(parseTextRecord("2023/07/04 12:45:21.804416 IngressDefaultRule AntreaNetworkPolicy:x/y R Ingress Reject", "auto")).toMatchObject({
      kind: "rejected",
      reason: expect.stringContaining("too few"),
    });
    expect(parseTextRecord("2023/13/45 99:99:99.1 T x r Ingress Drop 1 a/b 1.1.1.1 1 2.2.2.2 2 TCP 60 l", "auto")).toMatchObject({
      kind: "rejected",
      reason: expect.stringContaining("time:"),
    });
    expect(parseTextRecord("hello world", "auto")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("Antrea np.log line") });
    expect(parseTextRecord("hello world", "hubble")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("format=hubble reads JSON") });
  });
});
