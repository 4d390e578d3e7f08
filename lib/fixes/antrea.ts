// Antrea NetworkPolicy (crd.antrea.io/v1beta1), for drops Antrea reported. Antrea-native policies
// are evaluated tier by tier before Kubernetes NetworkPolicies (all but the baseline tier), so an
// Allow here lets a flow through that a Kubernetes NetworkPolicy's default deny drops. An explicit
// Drop/Reject rule of another Antrea policy wins when it sits in an earlier tier or at a lower
// priority number. ICMP is `protocols: [{icmp}]`, by type where the drops say it (np.log does not).
import { NAMESPACE_LABEL, labelSelector } from "./kubernetes";
import { addressCidr, annotationsOf, note, type FormatResult, type FormatWarning } from "./objects";
import { isIcmp, type AllowRule, type Peer } from "./plan";

export const ANTREA_DEFAULT_TIER = "application";

function peers(peer: Peer): Record<string, unknown>[] {
  switch (peer.kind) {
    case "pods":
      return [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: peer.namespace } }, podSelector: labelSelector(peer) }];
    case "namespace":
      return [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: peer.namespace } } }];
    case "entity":
    case "addresses":
      return peer.ips.map((ip) => ({ ipBlock: { cidr: addressCidr(ip) } }));
  }
}

export interface AntreaOptions {
  tier: string | null;
  priority: number;
}

export function antreaPolicy(rule: AllowRule, options: AntreaOptions): FormatResult {
  const warnings: FormatWarning[] = [];
  const { protocol, port, icmpTypes } = rule.l4;
  let l4: Record<string, unknown>;
  if (isIcmp(protocol)) {
    if (icmpTypes.length === 0) warnings.push(note("icmp_type_unknown", "the drops carry no ICMP type (np.log does not log it): the rule allows every ICMP type between these endpoints"));
    l4 = { protocols: icmpTypes.length > 0 ? icmpTypes.map((icmpType) => ({ icmp: { icmpType } })) : [{ icmp: {} }] };
  } else if (["TCP", "UDP", "SCTP"].includes(protocol)) {
    l4 = { ports: [{ protocol, ...(port !== null ? { port } : {}) }] };
  } else {
    return { object: null, warnings: [note("protocol_unsupported", `an Antrea NetworkPolicy cannot name protocol ${protocol} narrowly: chose nothing`)] };
  }
  if (rule.peer.kind === "entity" && rule.peer.ips.length === 0) {
    return { object: null, warnings: [note("nodes_by_address", `the peer is a node (${rule.peer.entity}) and the drops carry no address for it: chose nothing`)] };
  }
  if (rule.denyRule) {
    warnings.push(note("deny_rule", `an explicit Drop/Reject rule (${rule.policies.join(", ") || "an Antrea policy"}) dropped this flow: this Allow takes effect only in an earlier tier, or in the same tier at a lower priority number, than that policy`));
  }
  const ingress = rule.direction === "INGRESS";
  return {
    object: {
      apiVersion: "crd.antrea.io/v1beta1",
      kind: "NetworkPolicy",
      metadata: { name: rule.name, namespace: rule.subject.namespace, annotations: annotationsOf(rule) },
      spec: {
        tier: options.tier ?? ANTREA_DEFAULT_TIER,
        priority: options.priority,
        appliedTo: [{ podSelector: labelSelector(rule.subject) }],
        [ingress ? "ingress" : "egress"]: [{ action: "Allow", [ingress ? "from" : "to"]: peers(rule.peer), ...l4, name: rule.name.slice(0, 63) }],
      },
    },
    warnings,
  };
}
