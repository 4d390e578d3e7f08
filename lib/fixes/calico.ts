// Calico NetworkPolicy or StagedNetworkPolicy (projectcalico.org/v3), for drops Calico reported.
// Selectors are Calico's expressions (`app == 'checkoutservice' && tenant == 'hipstershop'`),
// namespaces by `kubernetes.io/metadata.name`; addresses are `nets`; ICMP by type where the drops
// say it. Calico decides tier by tier: a flow denied at the end of tier T (or by a deny rule in T)
// is allowed only by a rule in T (or an earlier tier), so the policy goes in the denying policy's
// tier. A staged policy changes nothing: its verdicts show in flow logs (`pending_policies`) first.
import { NAMESPACE_LABEL } from "./kubernetes";
import { addressCidr, annotationsOf, note, type FormatResult, type FormatWarning } from "./objects";
import { isIcmp, type AllowRule, type Peer, type Selection } from "./plan";

const quote = (value: string) => `'${value}'`;

/** Calico's selector for these labels; `all()` for every endpoint of the namespace. */
export function calicoSelector(labels: Record<string, string> | null): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "all()";
  return entries.map(([key, value]) => `${key} == ${quote(value)}`).join(" && ");
}

const selectionSelector = (selection: Selection) => calicoSelector(selection.kind === "pods" ? selection.labels : null);

function entityRule(peer: Peer): Record<string, unknown> {
  switch (peer.kind) {
    case "pods":
      return { namespaceSelector: `${NAMESPACE_LABEL} == ${quote(peer.namespace)}`, selector: selectionSelector(peer) };
    case "namespace":
      return { namespaceSelector: `${NAMESPACE_LABEL} == ${quote(peer.namespace)}` };
    case "entity":
    case "addresses":
      return { nets: peer.ips.map(addressCidr) };
  }
}

/** Calico's protocol for a stored one: TCP, UDP, SCTP, ICMP, ICMPv6, or the IP protocol number. */
function calicoProtocol(protocol: string): string | number | null {
  if (protocol === "ICMPv4") return "ICMP";
  if (["TCP", "UDP", "SCTP", "ICMPv6"].includes(protocol)) return protocol;
  const number = /^IP-(\d{1,3})$/.exec(protocol);
  return number && Number(number[1]) >= 1 && Number(number[1]) <= 255 ? Number(number[1]) : null;
}

/**
 * The tier the denying policies sit in, from their stored names: "ns/tier.name" outside the default
 * tier (formats/calicoPolicies.ts), "ns/name" in it. Null when they disagree or name none.
 */
export function denyingTier(policies: readonly string[]): string | null {
  const tiers = new Set(
    policies.map((policy) => {
      const name = policy.slice(policy.indexOf("/") + 1).replace(/^staged:/, "");
      const dot = name.indexOf(".");
      return dot > 0 ? name.slice(0, dot) : "default";
    }),
  );
  return tiers.size === 1 ? [...tiers][0] ?? null : null;
}

export interface CalicoOptions {
  staged: boolean;
  tier: string | null;
}

export function calicoPolicy(rule: AllowRule, options: CalicoOptions): FormatResult {
  const warnings: FormatWarning[] = [];
  const protocol = calicoProtocol(rule.l4.protocol);
  if (protocol === null) return { object: null, warnings: [note("protocol_unsupported", `a Calico policy cannot name protocol ${rule.l4.protocol}: chose nothing`)] };
  if (rule.peer.kind === "entity" && rule.peer.ips.length === 0) {
    return { object: null, warnings: [note("nodes_by_address", `the peer is a host (${rule.peer.entity}) and the drops carry no address for it: chose nothing`)] };
  }
  const guessed = denyingTier(rule.policies);
  const tier = options.tier ?? guessed ?? "default";
  if (options.tier === null && guessed !== null && guessed !== "default") {
    warnings.push(note("tier", `placed in tier ${guessed}, where the denying policy (${rule.policies.join(", ")}) sits: Calico allows a flow denied in a tier only by a rule in that tier or an earlier one; pass tier=<name> to choose another`));
  } else if (options.tier === null && guessed === null && rule.policies.length > 0) {
    warnings.push(note("tier", `the denying policies (${rule.policies.join(", ")}) sit in different tiers: placed in tier default; pass tier=<name> for the tier that denied the flow`));
  }
  if (rule.denyRule) {
    warnings.push(note("deny_rule", `an explicit deny rule${rule.policies.length > 0 ? ` (${rule.policies.join(", ")})` : ""} dropped this flow: this allow is reached only if its order (spec.order) is lower than the denying policy's; set it below that policy's order`));
  }

  const icmpRules = isIcmp(rule.l4.protocol) ? (rule.l4.icmpTypes.filter((t) => t <= 254).length > 0 ? rule.l4.icmpTypes.filter((t) => t <= 254) : [null]) : [];
  if (isIcmp(rule.l4.protocol) && icmpRules[0] === null) warnings.push(note("icmp_type_unknown", `the drops carry no ICMP type: the rule allows every ${protocol} type between these endpoints`));
  const peer = entityRule(rule.peer);
  const ports = rule.l4.port !== null ? { ports: [rule.l4.port] } : {};
  const ingress = rule.direction === "INGRESS";
  const base = (icmpType: number | null) => ({
    action: "Allow",
    protocol,
    ...(icmpType !== null ? { icmp: { type: icmpType } } : {}),
    ...(ingress ? { source: peer, ...(rule.l4.port !== null ? { destination: ports } : {}) } : { destination: { ...peer, ...ports } }),
  });
  const rules = isIcmp(rule.l4.protocol) ? icmpRules.map(base) : [base(null)];
  // Outside the default tier a policy's name carries its tier as a prefix (required before Calico 3.30, accepted since).
  const name = tier === "default" ? rule.name : `${tier}.${rule.name}`.slice(0, 253);
  return {
    object: {
      apiVersion: "projectcalico.org/v3",
      kind: options.staged ? "StagedNetworkPolicy" : "NetworkPolicy",
      metadata: { name, namespace: rule.subject.namespace, annotations: annotationsOf(rule) },
      spec: {
        ...(options.staged ? { stagedAction: "Set" } : {}),
        tier,
        selector: selectionSelector(rule.subject),
        types: [ingress ? "Ingress" : "Egress"],
        [ingress ? "ingress" : "egress"]: rules,
      },
    },
    warnings,
  };
}
