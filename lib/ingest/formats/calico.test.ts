import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { drop, fixtureLines, fixtureRecord } from "../../testing/formats";
import { parsePolicyString } from "./calicoPolicies";

const real = () => fixtureRecord("calico", "flows-deny.jsonl");

const flow = (overrides: Record<string, unknown> = {}) => ({
  start_time: 1764331200,
  end_time: 1764331500,
  source_ip: null,
  source_name: "-",
  source_name_aggr: "checkout-7d4b9c8f6d-*",
  source_namespace: "shop",
  source_type: "wep",
  dest_ip: null,
  dest_name: "-",
  dest_name_aggr: "payments-api-5f6d7c8b9a-*",
  dest_namespace: "payments",
  dest_port: 8443,
  dest_type: "wep",
  proto: "tcp",
  action: "deny",
  reporter: "dst",
  policies: { all_policies: ["0|default|payments/default.deny-all|deny|0"] },
  num_flows: 7,
  host: "worker-2",
  ...overrides,
});

describe("calico enterprise flow logs", () => {
  it("reads a real denied flow: end-of-tier deny after a pass, the ReplicaSet's Deployment as workload", () => {
    const event = drop(parseRecord(real(), "auto"));
    expect(event).toMatchObject({
      time: new Date(1659621542 * 1000),
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "hipstershop",
      srcNamespace: "default",
      srcPod: "multitool",
      srcWorkload: "multitool",
      srcIp: "10.48.116.157",
      dstNamespace: "hipstershop",
      dstPod: "checkoutservice-598d5b586d-wsvmz",
      dstWorkload: "checkoutservice",
      dstPort: 5050,
      protocol: "TCP",
      reason: "POLICY_DENIED",
      policies: ["hipstershop/app-hipstershop.checkoutservice"],
      count: 1,
      source: "calico",
      srcLabels: ["run=multitool"],
    });
  });

  it.each(fixtureLines("calico"))("parses every fixture record ($file)", ({ line }) => {
    expect(parseRecord(JSON.parse(line), "auto").kind).toBe("drop");
  });

  it("counts num_flows and names an explicit deny rule POLICY_DENY", () => {
    const event = drop(parseRecord(flow(), "auto"));
    expect(event).toMatchObject({ count: 7, reason: "POLICY_DENY", policies: ["payments/deny-all"], node: "worker-2" });
    expect(event).toMatchObject({ srcWorkload: "checkout", dstWorkload: "payments-api", srcPod: null });
  });

  it("an allowed flow that a staged policy would deny is AUDIT, named with staged:", () => {
    const event = drop(
      parseRecord(
        flow({
          action: "allow",
          policies: {
            enforced_policies: ["0|default|payments/knp.default.allow-all|allow|0"],
            pending_policies: ["0|default|payments/default.staged:default-deny|deny|-1"],
          },
        }),
        "auto",
      ),
    );
    expect(event).toMatchObject({ verdict: "AUDIT", reason: "POLICY_DENIED", policies: ["payments/staged:default-deny"] });
  });

  it("ignores allowed flows without a staged deny", () => {
    const outcome = parseRecord(flow({ action: "allow", policies: { all_policies: ["0|default|payments/default.a|allow|0"] } }), "auto");
    expect(outcome.kind).toBe("ignored");
  });

  it("a flow reported by both ends has one dedupe key", () => {
    const atDst = drop(parseRecord(flow({ reporter: "dst", host: "worker-2" }), "auto"));
    const atSrc = drop(parseRecord(flow({ reporter: "src", host: "worker-1" }), "auto"));
    expect(atSrc.key).toBe(atDst.key);
    const later = drop(parseRecord(flow({ start_time: 1764331500, end_time: 1764331800 }), "auto"));
    expect(later.key).not.toBe(atDst.key);
  });

  it("rejects records without a start time or with an unknown action, saying which field", () => {
    expect(parseRecord(flow({ start_time: "yesterday" }), "calico")).toEqual({ kind: "rejected", reason: "start_time: missing or not UNIX seconds" });
    expect(parseRecord(flow({ action: "maybe" }), "calico")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("action:") });
  });

  it("reads network endpoints and un-namespaced peers", () => {
    const event = drop(parseRecord(flow({ source_namespace: "-", source_name_aggr: "pub", source_type: "net", reporter: "dst" }), "auto"));
    expect(event).toMatchObject({ srcNamespace: null, srcWorkload: "world", namespace: "payments" });
  });
});

describe("calico policy strings", () => {
  it.each([
    ["0|default|payments/default.deny-all|deny|0", "payments/deny-all"],
    ["0|default|payments/knp.default.web|deny|-1", "payments/web"],
    ["0|security|security.block-egress|deny|2", "security.block-egress"],
    ["0|default|payments/default.staged:deny-all|deny|-1", "payments/staged:deny-all"],
    ["0|platform|shop/platform.staged:lockdown|deny|0", "shop/staged:platform.lockdown"],
    ["0|default|shop/staged:knp.default.web|deny|-1", "shop/staged:web"],
    ["0|__PROFILE__|__PROFILE__.kns.default|allow|0", null],
  ])("%s -> %s", (text, name) => {
    expect(parsePolicyString(text)?.name).toBe(name);
  });

  it("ignores strings of another shape", () => {
    expect(parsePolicyString("no pipes here")).toBeNull();
  });
});
