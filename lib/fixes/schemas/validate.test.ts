// The schema check is not vacuous: objects the API server would refuse fail it.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types";
import { schemaErrors } from "./validate";

const meta = { name: "allow-a-to-b-80-abcdef", namespace: "shop" };

describe("vendored schemas refuse what the API server refuses", () => {
  it("accepts a well-formed object of every kind", () => {
    const objects: KubeObject[] = [
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec: { podSelector: { matchLabels: { app: "b" } }, ingress: [{ ports: [{ protocol: "TCP", port: 80 }] }] } },
      { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: meta, spec: { endpointSelector: { matchLabels: { "k8s:app": "b" } }, ingress: [{ toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }] }] } },
      { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: meta, spec: { selector: "app == 'b'", ingress: [{ action: "Allow", protocol: "ICMP", icmp: { type: 8 } }] } },
      { apiVersion: "projectcalico.org/v3", kind: "StagedNetworkPolicy", metadata: meta, spec: { stagedAction: "Set", selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] } },
      { apiVersion: "crd.antrea.io/v1beta1", kind: "NetworkPolicy", metadata: meta, spec: { priority: 5, appliedTo: [{ podSelector: {} }], ingress: [{ action: "Allow", protocols: [{ icmp: {} }] }] } },
    ];
    for (const object of objects) expect(schemaErrors(object), `${object.apiVersion}/${object.kind}`).toEqual([]);
  });

  it("refuses unknown fields, wrong types and values out of range", () => {
    const bad: [KubeObject, string][] = [
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec: { ingress: [] } }, "podSelector"],
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec: { podSelector: {}, ingres: [] } }, "ingres"],
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec: { podSelector: {}, ingress: [{ ports: [{ port: 1.5 }] }] } }, "port"],
      [{ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: meta, spec: { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: 80 }] }] }] } }, "port"],
      [{ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: meta, spec: { endpointSelector: {} } }, "anyOf"],
      [{ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: meta, spec: { endpointSelector: {}, ingress: [{ fromCIDR: ["10.0.0.1"] }] } }, "cidr"],
      [{ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: meta, spec: { endpointSelector: {}, ingress: [{ fromEntities: ["everything"] }] } }, "allowed values"],
      [{ apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: meta, spec: { ingress: [{ protocol: "TCP" }] } }, "action"],
      [{ apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: meta, spec: { ingress: [{ action: "Allow", icmp: { type: 8 } }] } }, "ICMP fields require protocol"],
      [{ apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: meta, spec: { stagedAction: "Set" } }, "stagedAction"],
      [{ apiVersion: "crd.antrea.io/v1beta1", kind: "NetworkPolicy", metadata: meta, spec: { appliedTo: [] } }, "priority"],
      [{ apiVersion: "crd.antrea.io/v1beta1", kind: "NetworkPolicy", metadata: meta, spec: { priority: 5, ingress: [{ action: "Allow", ports: [{ protocol: "ICMP" }] }] } }, "allowed values"],
      [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "Not_A_Name", namespace: "shop" }, spec: { podSelector: {} } }, "DNS subdomain"],
    ];
    for (const [object, expected] of bad) {
      const errors = schemaErrors(object);
      expect(errors.join("\n"), JSON.stringify(object.spec)).toContain(expected);
    }
  });
});
