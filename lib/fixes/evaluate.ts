// A small policy evaluator: does this allow policy (any of the four formats) let this flow through
// at the side that enforces it? It reads the subset of each language the generators write, with
// each CNI's documented semantics: Kubernetes and Antrea peers and ports, Cilium endpoint selectors
// (namespace-bound unless they name one), entities and CIDRs, Calico selector expressions. Used by
// the tests to prove a rule allows the path it was made for and nothing broader.
import { isIP } from "node:net";
import type { KubeObject } from "./types";

export interface FlowEnd {
  /** A pod's namespace; null for nodes and addresses outside the cluster. */
  namespace: string | null;
  /** The pod's own labels. */
  labels: Record<string, string>;
  /** The namespace's labels; default: kubernetes.io/metadata.name = namespace. */
  namespaceLabels?: Record<string, string>;
  ip: string | null;
  /** Cilium's entity for what is not a pod: host, remote-node, world, ... */
  entity?: string;
}

export interface Flow {
  direction: "INGRESS" | "EGRESS";
  src: FlowEnd;
  dst: FlowEnd;
  protocol: string;
  port: number | null;
  icmpType: number | null;
}

type Obj = Record<string, unknown>;
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const isPod = (end: FlowEnd) => end.namespace !== null;
const nsLabels = (end: FlowEnd) => end.namespaceLabels ?? (end.namespace ? { "kubernetes.io/metadata.name": end.namespace } : {});

/** Kubernetes label selector semantics: matchLabels and matchExpressions ANDed; {} selects all. */
export function selectorMatches(selector: Selector | undefined, labels: Record<string, string>, lookup: (key: string) => string | undefined = (k) => labels[k]): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (lookup(key) !== value) return false;
  for (const req of selector.matchExpressions ?? []) {
    const value = lookup(req.key);
    const values = req.values ?? [];
    if (req.operator === "In" && (value === undefined || !values.includes(value))) return false;
    if (req.operator === "NotIn" && value !== undefined && values.includes(value)) return false;
    if (req.operator === "Exists" && value === undefined) return false;
    if (req.operator === "DoesNotExist" && value !== undefined) return false;
  }
  return true;
}

function inCidr(ip: string | null, cidr: string): boolean {
  if (!ip) return false;
  const [base, bitsText] = cidr.split("/");
  if (!base || isIP(base) !== isIP(ip) || isIP(ip) === 0) return false;
  const bits = Number(bitsText ?? (isIP(ip) === 6 ? 128 : 32));
  const toBig = (addr: string): bigint => {
    if (isIP(addr) === 4) return addr.split(".").reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
    const [head, tail] = addr.split("::") as [string, string | undefined];
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
    return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || "0", 16)), 0n);
  };
  const width = isIP(ip) === 6 ? 128 : 32;
  const shift = BigInt(width - bits);
  return toBig(ip) >> shift === toBig(base) >> shift;
}

/** Kubernetes NetworkPolicyPort / Antrea ports semantics: protocol defaults to TCP, no port is every port. */
function portsMatch(ports: Obj[] | undefined, flow: Flow): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if (((p.protocol as string | undefined) ?? "TCP") !== flow.protocol) return false;
    if (p.port === undefined) return true;
    if (flow.port === null) return false;
    const end = (p.endPort as number | undefined) ?? (p.port as number);
    return flow.port >= (p.port as number) && flow.port <= end;
  });
}

function kubernetesPeerMatches(peer: Obj, other: FlowEnd, policyNamespace: string): boolean {
  if (peer.ipBlock) return inCidr(other.ip, (peer.ipBlock as Obj).cidr as string);
  if (!isPod(other)) return false;
  const ns = peer.namespaceSelector as Selector | undefined;
  const pod = peer.podSelector as Selector | undefined;
  if (ns === undefined && pod === undefined) return false;
  const nsOk = ns === undefined ? other.namespace === policyNamespace : selectorMatches(ns, nsLabels(other));
  return nsOk && (pod === undefined || selectorMatches(pod, other.labels));
}

function kubernetesAllows(policy: KubeObject, flow: Flow): boolean {
  const ingress = flow.direction === "INGRESS";
  const subject = ingress ? flow.dst : flow.src;
  const other = ingress ? flow.src : flow.dst;
  const spec = policy.spec;
  if (subject.namespace !== policy.metadata.namespace) return false;
  if (!selectorMatches(spec.podSelector as Selector, subject.labels)) return false;
  const types = (spec.policyTypes as string[] | undefined) ?? ["Ingress", ...(spec.egress ? ["Egress"] : [])];
  if (!types.includes(ingress ? "Ingress" : "Egress")) return false;
  return list(spec[ingress ? "ingress" : "egress"]).some((rule) => {
    const peers = rule[ingress ? "from" : "to"] as Obj[] | undefined;
    const peerOk = !peers || peers.length === 0 || peers.some((p) => kubernetesPeerMatches(p, other, policy.metadata.namespace));
    return peerOk && (isIcmpFlow(flow) ? !rule.ports || list(rule.ports).length === 0 : portsMatch(rule.ports as Obj[] | undefined, flow));
  });
}

const isIcmpFlow = (flow: Flow) => flow.protocol === "ICMPv4" || flow.protocol === "ICMPv6";

/** A Cilium label lookup for an endpoint: `k8s:app`, `any:app` or `app`; the namespace as `k8s:io.kubernetes.pod.namespace`. */
function ciliumLookup(end: FlowEnd): (key: string) => string | undefined {
  return (key) => {
    const colon = key.indexOf(":");
    const source = colon > 0 ? key.slice(0, colon) : "any";
    const name = colon > 0 ? key.slice(colon + 1) : key;
    if (source === "reserved") return end.entity === name ? "" : undefined;
    if (source !== "k8s" && source !== "any") return undefined;
    if (!isPod(end)) return undefined;
    if (name === "io.kubernetes.pod.namespace") return end.namespace ?? undefined;
    return end.labels[name];
  };
}

function ciliumPeerMatches(rule: Obj, other: FlowEnd, prefix: "from" | "to", policyNamespace: string): boolean {
  const endpoints = rule[`${prefix}Endpoints`] as Selector[] | undefined;
  const entities = rule[`${prefix}Entities`] as string[] | undefined;
  const cidrs = rule[`${prefix}CIDR`] as string[] | undefined;
  if (!endpoints && !entities && !cidrs) return true;
  if (endpoints?.some((sel) => {
    if (!isPod(other)) return false;
    // A CiliumNetworkPolicy's endpoint selectors are bound to its namespace unless they name one.
    const namesNamespace = Object.keys(sel.matchLabels ?? {}).some((k) => k.endsWith("io.kubernetes.pod.namespace"));
    return (namesNamespace || other.namespace === policyNamespace) && selectorMatches(sel, {}, ciliumLookup(other));
  })) return true;
  if (entities?.some((e) => e === "all" || e === other.entity || (e === "cluster" && (isPod(other) || ["host", "remote-node", "kube-apiserver", "health", "init", "ingress"].includes(other.entity ?? ""))))) return true;
  // CIDR rules match only traffic from outside the cluster (not pods, not nodes).
  if (cidrs?.some((c) => !isPod(other) && (other.entity === undefined || other.entity === "world") && inCidr(other.ip, c))) return true;
  return false;
}

function ciliumL4Matches(rule: Obj, flow: Flow): boolean {
  const toPorts = rule.toPorts as { ports?: Obj[] }[] | undefined;
  const icmps = rule.icmps as { fields?: Obj[] }[] | undefined;
  if (!toPorts && !icmps) return true;
  if (isIcmpFlow(flow)) {
    const family = flow.protocol === "ICMPv6" ? "IPv6" : "IPv4";
    return (icmps ?? []).some((r) => (r.fields ?? []).some((f) => ((f.family as string | undefined) ?? "IPv4") === family && Number(f.type) === flow.icmpType));
  }
  return (toPorts ?? []).some((pr) =>
    (pr.ports ?? []).some((p) => {
      const protocol = (p.protocol as string | undefined) ?? "ANY";
      if (protocol !== "ANY" && protocol !== flow.protocol) return false;
      if (p.port === undefined || p.port === "0") return true;
      return flow.port !== null && Number(p.port) === flow.port;
    }),
  );
}

function ciliumAllows(policy: KubeObject, flow: Flow): boolean {
  const ingress = flow.direction === "INGRESS";
  const subject = ingress ? flow.dst : flow.src;
  const other = ingress ? flow.src : flow.dst;
  if (subject.namespace !== policy.metadata.namespace) return false;
  if (!selectorMatches(policy.spec.endpointSelector as Selector, {}, ciliumLookup(subject))) return false;
  return list(policy.spec[ingress ? "ingress" : "egress"]).some((rule) => ciliumPeerMatches(rule, other, ingress ? "from" : "to", policy.metadata.namespace) && ciliumL4Matches(rule, flow));
}

/** Calico selector expressions, in the subset the generator writes: `all()` or `k == 'v'` terms joined by `&&`. */
export function calicoSelectorMatches(expression: string, labels: Record<string, string>): boolean {
  const trimmed = expression.trim();
  if (trimmed === "all()") return true;
  return trimmed.split("&&").every((term) => {
    const match = /^\s*([A-Za-z0-9_./-]+)\s*==\s*'([^']*)'\s*$/.exec(term);
    if (!match) throw new Error(`selector term outside the evaluator's subset: ${term}`);
    return labels[match[1] as string] === match[2];
  });
}

const CALICO_PROTOCOLS: Record<string, string> = { ICMP: "ICMPv4", ICMPv6: "ICMPv6", TCP: "TCP", UDP: "UDP", SCTP: "SCTP" };

function calicoEntityMatches(entity: Obj | undefined, end: FlowEnd, policyNamespace: string): boolean {
  if (!entity) return true;
  const nets = entity.nets as string[] | undefined;
  if (nets && !nets.some((n) => inCidr(end.ip, n))) return false;
  const nsSelector = entity.namespaceSelector as string | undefined;
  const selector = entity.selector as string | undefined;
  if (nsSelector !== undefined || selector !== undefined) {
    if (!isPod(end)) return false;
    if (nsSelector !== undefined ? !calicoSelectorMatches(nsSelector, nsLabels(end)) : end.namespace !== policyNamespace) return false;
    if (selector !== undefined && !calicoSelectorMatches(selector, end.labels)) return false;
  }
  return true;
}

function calicoAllows(policy: KubeObject, flow: Flow): boolean {
  const ingress = flow.direction === "INGRESS";
  const subject = ingress ? flow.dst : flow.src;
  const spec = policy.spec;
  if (subject.namespace !== policy.metadata.namespace) return false;
  if (!calicoSelectorMatches((spec.selector as string | undefined) ?? "all()", subject.labels)) return false;
  if (!((spec.types as string[] | undefined) ?? ["Ingress"]).includes(ingress ? "Ingress" : "Egress")) return false;
  return list(spec[ingress ? "ingress" : "egress"]).some((rule) => {
    if (rule.action !== "Allow") return false;
    const protocol = rule.protocol === undefined ? undefined : typeof rule.protocol === "number" ? `IP-${rule.protocol}` : CALICO_PROTOCOLS[rule.protocol as string];
    if (protocol !== undefined && protocol !== flow.protocol) return false;
    const icmp = rule.icmp as { type?: number } | undefined;
    if (icmp?.type !== undefined && icmp.type !== flow.icmpType) return false;
    const destination = rule.destination as Obj | undefined;
    const ports = destination?.ports as number[] | undefined;
    if (ports && (flow.port === null || !ports.includes(flow.port))) return false;
    const { ports: _ports, ...destinationEntity } = destination ?? {};
    return calicoEntityMatches(rule.source as Obj | undefined, flow.src, policy.metadata.namespace) && calicoEntityMatches(destinationEntity, flow.dst, policy.metadata.namespace);
  });
}

function antreaAllows(policy: KubeObject, flow: Flow): boolean {
  const ingress = flow.direction === "INGRESS";
  const subject = ingress ? flow.dst : flow.src;
  const other = ingress ? flow.src : flow.dst;
  if (subject.namespace !== policy.metadata.namespace) return false;
  if (!list(policy.spec.appliedTo).some((a) => selectorMatches(a.podSelector as Selector, subject.labels))) return false;
  return list(policy.spec[ingress ? "ingress" : "egress"]).some((rule) => {
    if (rule.action !== "Allow") return false;
    const peers = rule[ingress ? "from" : "to"] as Obj[] | undefined;
    const peerOk = !peers || peers.length === 0 || peers.some((p) => kubernetesPeerMatches(p, other, policy.metadata.namespace));
    const protocols = rule.protocols as { icmp?: { icmpType?: number } }[] | undefined;
    let l4Ok: boolean;
    if (isIcmpFlow(flow)) l4Ok = protocols ? protocols.some((p) => p.icmp !== undefined && (p.icmp.icmpType === undefined || p.icmp.icmpType === flow.icmpType)) : !rule.ports;
    else l4Ok = !protocols && portsMatch(rule.ports as Obj[] | undefined, flow);
    return peerOk && l4Ok;
  });
}

/** Whether the policy's allow rules let this flow through at the enforcing side. */
export function allows(policy: KubeObject, flow: Flow): boolean {
  switch (`${policy.apiVersion}/${policy.kind}`) {
    case "networking.k8s.io/v1/NetworkPolicy":
      return kubernetesAllows(policy, flow);
    case "cilium.io/v2/CiliumNetworkPolicy":
      return ciliumAllows(policy, flow);
    case "projectcalico.org/v3/NetworkPolicy":
    case "projectcalico.org/v3/StagedNetworkPolicy":
      return calicoAllows(policy, flow);
    case "crd.antrea.io/v1beta1/NetworkPolicy":
      return antreaAllows(policy, flow);
    default:
      throw new Error(`no evaluator for ${policy.apiVersion}/${policy.kind}`);
  }
}
