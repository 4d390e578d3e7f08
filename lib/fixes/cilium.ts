// CiliumNetworkPolicy (cilium.io/v2), for drops Hubble reported. Selectors use the labels as Cilium
// knows them (`k8s:app`), namespaces by Cilium's `k8s:io.kubernetes.pod.namespace`; nodes and the
// host are entities (`remote-node`, `host`); addresses outside the cluster are CIDRs; ICMP is
// `icmps` by type. A deny rule (`ingressDeny`/`egressDeny`) wins over every allow.
import { addressCidr, annotationsOf, note, type FormatResult, type FormatWarning } from "./objects";
import { isIcmp, type AllowRule, type Peer, type Selection } from "./plan";

const NAMESPACE = "k8s:io.kubernetes.pod.namespace";

function endpointLabels(selection: Selection, withNamespace: boolean): Record<string, string> {
  const labels: Record<string, string> = withNamespace ? { [NAMESPACE]: selection.namespace } : {};
  if (selection.kind === "pods") for (const [key, value] of Object.entries(selection.labels)) labels[`k8s:${key}`] = value;
  return labels;
}

function peerFields(peer: Peer, direction: "INGRESS" | "EGRESS"): Record<string, unknown> {
  const from = direction === "INGRESS";
  switch (peer.kind) {
    case "pods":
    case "namespace":
      return { [from ? "fromEndpoints" : "toEndpoints"]: [{ matchLabels: endpointLabels(peer, true) }] };
    case "entity":
      return { [from ? "fromEntities" : "toEntities"]: [peer.entity] };
    case "addresses":
      return { [from ? "fromCIDR" : "toCIDR"]: peer.ips.map(addressCidr) };
  }
}

export function ciliumPolicy(rule: AllowRule): FormatResult {
  const warnings: FormatWarning[] = [];
  const { protocol, port, icmpTypes } = rule.l4;
  let l4: Record<string, unknown>;
  if (isIcmp(protocol)) {
    if (icmpTypes.length === 0) return { object: null, warnings: [note("protocol_unsupported", "the drops carry no ICMP type, and a CiliumNetworkPolicy names ICMP by type only: chose nothing")] };
    const family = protocol === "ICMPv6" ? "IPv6" : "IPv4";
    l4 = { icmps: [{ fields: icmpTypes.map((type) => ({ family, type })) }] };
  } else if (["TCP", "UDP", "SCTP"].includes(protocol)) {
    l4 = { toPorts: [{ ports: [{ ...(port !== null ? { port: String(port) } : {}), protocol }] }] };
  } else {
    return { object: null, warnings: [note("protocol_unsupported", `a CiliumNetworkPolicy cannot name protocol ${protocol} narrowly: chose nothing`)] };
  }
  if (rule.peer.kind === "addresses" && !rule.peer.external) {
    warnings.push(note("ip_scope", "Cilium applies CIDR rules only to traffic from outside the cluster: if this address is a pod's, the rule does not match it"));
  }
  if (rule.denyRule) {
    warnings.push(note("deny_rule", `a Cilium deny rule${rule.policies.length > 0 ? ` (${rule.policies.join(", ")})` : ""} dropped this flow: deny rules win over every allow, so this policy lets nothing through until that deny rule is changed`));
  }
  const ingress = rule.direction === "INGRESS";
  return {
    object: {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      metadata: { name: rule.name, namespace: rule.subject.namespace, annotations: annotationsOf(rule) },
      spec: {
        description: `Allows ${rule.flow}, dropped at ${ingress ? "ingress" : "egress"} (Dropboard, drop path ${rule.cluster}/${rule.pathId})`,
        // An empty selector (every pod of the namespace) only where the user chose scope=namespace.
        endpointSelector: rule.subject.kind === "pods" ? { matchLabels: endpointLabels(rule.subject, false) } : {},
        [ingress ? "ingress" : "egress"]: [{ ...peerFields(rule.peer, rule.direction), ...l4 }],
      },
    },
    warnings,
  };
}
