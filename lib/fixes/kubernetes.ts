// Kubernetes NetworkPolicy (networking.k8s.io/v1): every CNI enforces it. Namespaces are selected
// by `kubernetes.io/metadata.name` (set on every namespace since Kubernetes 1.21); peers in one
// element with both selectors (AND). It cannot name ICMP, nor nodes other than by address.
import { addressCidr, annotationsOf, note, type FormatResult, type FormatWarning } from "./objects";
import { isIcmp, type AllowRule, type Peer, type Selection } from "./plan";

export const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

export function labelSelector(selection: Selection): Record<string, unknown> {
  return selection.kind === "pods" ? { matchLabels: { ...selection.labels } } : {};
}

function peerOf(peer: Peer): Record<string, unknown>[] {
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

export function kubernetesPolicy(rule: AllowRule): FormatResult {
  const warnings: FormatWarning[] = [];
  if (isIcmp(rule.l4.protocol) || !["TCP", "UDP", "SCTP"].includes(rule.l4.protocol)) {
    return {
      object: null,
      warnings: [note("protocol_unsupported", `Kubernetes NetworkPolicy cannot name ${rule.l4.protocol}: the only rule that would allow it allows every protocol and port; chose nothing (use the CNI's own format)`)],
    };
  }
  if (rule.peer.kind === "entity") {
    if (rule.peer.ips.length === 0) return { object: null, warnings: [note("nodes_by_address", `the peer is a node (${rule.peer.entity}) and the drops carry no address for it: a Kubernetes NetworkPolicy cannot select it; chose nothing`)] };
    warnings.push(note("nodes_by_address", `Kubernetes NetworkPolicy cannot select nodes: the peer (${rule.peer.entity}) is matched by the node address(es) seen; on Cilium use format=cilium (entity ${rule.peer.entity})`));
  }
  if (rule.denyRule) {
    warnings.push(note("deny_rule", `an explicit deny rule${rule.policies.length > 0 ? ` (${rule.policies.join(", ")})` : ""} dropped this flow: a Kubernetes NetworkPolicy only adds allows and cannot override it; change the denying policy too`));
  }
  const port = { protocol: rule.l4.protocol, ...(rule.l4.port !== null ? { port: rule.l4.port } : {}) };
  const traffic = rule.direction === "INGRESS" ? { from: peerOf(rule.peer), ports: [port] } : { to: peerOf(rule.peer), ports: [port] };
  return {
    object: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: rule.name, namespace: rule.subject.namespace, annotations: annotationsOf(rule) },
      spec: {
        podSelector: labelSelector(rule.subject),
        policyTypes: [rule.direction === "INGRESS" ? "Ingress" : "Egress"],
        [rule.direction === "INGRESS" ? "ingress" : "egress"]: [traffic],
      },
    },
    warnings,
  };
}
