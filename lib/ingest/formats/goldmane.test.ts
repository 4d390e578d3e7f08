import { describe, expect, it } from "vitest";
import { parseRecord } from ".";
import { drop, fixtureLines } from "../../testing/formats";

// Field names and enums from goldmane/proto/api.proto (projectcalico/calico); the emitter marshals
// the proto struct with Go's encoding/json (snake_case names, enums as numbers).
const emitted = (overrides: Record<string, unknown> = {}, key: Record<string, unknown> = {}) => ({
  Key: {
    source_name: "checkout-7d4b9c8f6d-*",
    source_namespace: "shop",
    source_type: 1,
    dest_name: "payments-api-5f6d7c8b9a-*",
    dest_namespace: "payments",
    dest_type: 1,
    dest_port: 8443,
    proto: "tcp",
    reporter: 2,
    action: 2,
    policies: {
      enforced_policies: [
        { kind: 10, tier: "default", action: 2, policy_index: 1, rule_index: -1, trigger: { kind: 1, namespace: "payments", name: "only-frontend", tier: "default" } },
      ],
      pending_policies: [],
    },
    ...key,
  },
  start_time: 1764331200,
  end_time: 1764331215,
  source_labels: ["app=checkout"],
  dest_labels: ["app=payments-api"],
  packets_in: 12,
  num_connections_started: 3,
  ...overrides,
});

describe("calico whisker flows captured from a live Calico 3.32.2 cluster", () => {
  const [denied, isolated, allowed] = fixtureLines("goldmane").map(({ line }) => JSON.parse(line) as Record<string, unknown>);

  it("an explicit deny rule: DROPPED, POLICY_DENY, the policy named, labels split", () => {
    expect(drop(parseRecord(denied, "auto"))).toMatchObject({
      time: new Date("2026-09-27T11:32:15Z"),
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "storefront",
      srcWorkload: "scraper",
      dstWorkload: "web",
      dstPort: 80,
      protocol: "TCP",
      reason: "POLICY_DENY",
      policies: ["storefront/web-guard"],
      srcLabels: ["app=scraper", "pod-template-hash=655c844475", "projectcalico.org/namespace=storefront", "team=storefront"],
    });
  });

  it("an isolated pod (end of tier): POLICY_DENIED, named by its trigger policy", () => {
    expect(drop(parseRecord(isolated, "auto"))).toMatchObject({ namespace: "payments", reason: "POLICY_DENIED", policies: ["payments/ledger-api-isolation"] });
  });

  it("an allowed flow (a pass, then the namespace profile) is not a drop", () => {
    expect(parseRecord(allowed, "auto").kind).toBe("ignored");
  });
});

describe("calico goldmane flows", () => {
  it("reads the emitter's JSON: end-of-tier deny names the policy that selected the flow", () => {
    const event = drop(parseRecord(emitted(), "auto"));
    expect(event).toMatchObject({
      time: new Date(1764331200 * 1000),
      verdict: "DROPPED",
      direction: "INGRESS",
      namespace: "payments",
      srcWorkload: "checkout",
      dstWorkload: "payments-api",
      dstPort: 8443,
      protocol: "TCP",
      reason: "POLICY_DENIED",
      policies: ["payments/only-frontend"],
      count: 3,
      source: "calico",
      srcLabels: ["app=checkout"],
    });
  });

  it("reads protojson (lowerCamel names, enum names, int64 as strings) inside a FlowResult", () => {
    const record = {
      id: "42",
      flow: {
        Key: {
          sourceName: "checkout-7d4b9c8f6d-*",
          sourceNamespace: "shop",
          destName: "payments-api-5f6d7c8b9a-*",
          destNamespace: "payments",
          destPort: "8443",
          proto: "tcp",
          reporter: "Src",
          action: "Deny",
          policies: { enforcedPolicies: [{ kind: "CalicoNetworkPolicy", namespace: "shop", name: "no-egress", tier: "default", action: "Deny", ruleIndex: "0" }] },
        },
        startTime: "1764331200",
        endTime: "1764331215",
      },
    };
    const event = drop(parseRecord(record, "auto"));
    expect(event).toMatchObject({ direction: "EGRESS", namespace: "shop", dstPort: 8443, reason: "POLICY_DENY", policies: ["shop/no-egress"], count: 1 });
  });

  it("reads Whisker's /flows items, and a staged deny on an allowed flow is AUDIT", () => {
    const record = {
      start_time: "2026-11-28T10:00:00Z",
      end_time: "2026-11-28T10:00:15Z",
      action: "Allow",
      source_name: "checkout-7d4b9c8f6d-*",
      source_namespace: "shop",
      source_labels: "app=checkout",
      dest_name: "payments-api-5f6d7c8b9a-*",
      dest_namespace: "payments",
      dest_labels: "",
      protocol: "tcp",
      dest_port: 8443,
      reporter: "Dst",
      policies: {
        enforced: [{ kind: "NetworkPolicy", name: "allow-all", namespace: "payments", tier: "default", action: "Allow", policy_index: 0, rule_index: 0, trigger: null }],
        pending: [{ kind: "StagedNetworkPolicy", name: "lockdown", namespace: "payments", tier: "default", action: "Deny", policy_index: 0, rule_index: 1, trigger: null }],
      },
      packets_in: 4,
      packets_out: 0,
      bytes_in: 240,
      bytes_out: 0,
    };
    const event = drop(parseRecord(record, "auto"));
    expect(event).toMatchObject({
      time: new Date("2026-11-28T10:00:00Z"),
      verdict: "AUDIT",
      reason: "POLICY_DENY",
      policies: ["payments/staged:lockdown"],
      srcLabels: ["app=checkout"],
    });
  });

  it("ignores allowed and passed flows with no staged deny", () => {
    expect(parseRecord(emitted({}, { action: 1, policies: { enforced_policies: [], pending_policies: [] } }), "auto").kind).toBe("ignored");
    expect(parseRecord(emitted({}, { action: "Pass", policies: {} }), "auto").kind).toBe("ignored");
  });

  it("a flow reported by both ends has one dedupe key", () => {
    const dst = drop(parseRecord(emitted({}, { reporter: 2 }), "auto"));
    const src = drop(parseRecord(emitted({}, { reporter: 1 }), "auto"));
    expect(src.key).toBe(dst.key);
  });

  it("rejects a flow with no start time or an unknown action", () => {
    expect(parseRecord(emitted({ start_time: undefined }), "auto")).toEqual({ kind: "rejected", reason: "start_time: missing or not a time" });
    expect(parseRecord(emitted({}, { action: 9 }), "auto")).toMatchObject({ kind: "rejected", reason: expect.stringContaining("action:") });
  });
});
