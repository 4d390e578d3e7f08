// The format-independent part of a fix: which pods a rule applies to (the subject), whom it lets in
// or out (the peer), on which port and protocol. Ingress drops get an ingress rule on the
// destination, egress drops an egress rule on the source; a drop of unknown direction gets both.
// Where the drops do not say enough, no rule is planned and a warning says what is missing and
// which scope would let the user choose a broader one: nothing is widened unasked.
import { createHash } from "node:crypto";
import { isPolicyReason } from "../ingest/policyReasons";
import { describeEndpoint, describeFlow, sideName, type Endpoint, type Entity, type Side } from "./endpoints";
import { hasIdentifyingLabel } from "./labels";
import type { FixScope, FixWarning, PathInput, WarningCode } from "./types";

/** Pods a rule selects: a workload's (by its labels), or every pod of a namespace (scope=namespace). */
export type Selection = { kind: "pods"; namespace: string; labels: Record<string, string> } | { kind: "namespace"; namespace: string };

export type Peer =
  | Selection
  | { kind: "entity"; entity: Entity; ips: string[] }
  /** Addresses: outside the cluster (`external`), or an endpoint known only by its address (scope=ip). */
  | { kind: "addresses"; ips: string[]; external: boolean };

export interface L4 {
  /** As stored: TCP, UDP, SCTP, ICMPv4, ICMPv6, UNKNOWN, IP-<n>. */
  protocol: string;
  /** Destination port; null when the drops carried none. */
  port: number | null;
  /** ICMP types seen (ICMP only); empty when the drops said none. */
  icmpTypes: number[];
}

export interface AllowRule {
  cluster: string;
  pathId: string;
  /** "web/frontend -> auth/keycloak:8443/TCP". */
  flow: string;
  direction: "INGRESS" | "EGRESS";
  /** The pods the policy is applied to: the destination for ingress, the source for egress. */
  subject: Selection;
  peer: Peer;
  l4: L4;
  /** A DNS label naming the policy (unique per path and direction). */
  name: string;
  /** An explicit deny rule dropped it (POLICY_DENY), not a default deny: an allow may not be enough. */
  denyRule: boolean;
  /** Policies the drops name (the deny rule's, or a Calico end-of-tier's). */
  policies: string[];
}

export interface Plan {
  rules: AllowRule[];
  warnings: FixWarning[];
}

const TRANSPORT = new Set(["TCP", "UDP", "SCTP"]);
export const isIcmp = (protocol: string) => protocol === "ICMPv4" || protocol === "ICMPv6";

function l4Of(path: PathInput): L4 {
  const icmpTypes = isIcmp(path.protocol)
    ? [...new Set(path.examples.filter((e) => e.protocol === path.protocol).map((e) => e.icmpType).filter((t): t is number => t !== null))].sort((a, b) => a - b)
    : [];
  return { protocol: path.protocol, port: TRANSPORT.has(path.protocol) ? path.dstPort : null, icmpTypes };
}

/** A name part: lower-case DNS label characters only. */
function slug(text: string, max: number): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return cleaned.slice(0, max).replace(/-+$/g, "") || "x";
}

/** A side's short name: its workload without the kind ("Deployment/api" -> "api"), else its address. */
function shortName(path: PathInput, side: Side): string {
  const workload = side === "source" ? path.srcWorkload : path.dstWorkload;
  if (workload) return workload.replace(/^[^/]*\//, "").replace(/^reserved:/, "");
  return path.examples.map((e) => (side === "source" ? e.srcIp : e.dstIp)).find((ip) => ip) ?? "unknown";
}

/** allow-<src>-to-<dst>-<port|proto>-<hash>: at most 63 characters, unique per path and direction. */
export function policyName(path: PathInput, direction: "INGRESS" | "EGRESS"): string {
  const hash = createHash("sha256").update(`${path.cluster}\u001f${path.id}\u001f${direction}`).digest("hex").slice(0, 6);
  const l4 = path.dstPort !== null ? String(path.dstPort) : slug(path.protocol, 8);
  return `allow-${slug(shortName(path, "source"), 20)}-to-${slug(shortName(path, "destination"), 20)}-${l4}-${hash}`;
}

interface Context {
  path: PathInput;
  scope: readonly FixScope[];
  warnings: FixWarning[];
}

function warn(ctx: Context, code: WarningCode, message: string, scope?: FixScope) {
  if (ctx.warnings.some((w) => w.code === code && w.message === message)) return;
  ctx.warnings.push({ code, message, cluster: ctx.path.cluster, pathId: ctx.path.id, ...(scope ? { scope } : {}) });
}

const sideWord = (side: Side) => (side === "source" ? "source" : "destination");

/** The pods a rule selects on one side, or null (and a warning) when they cannot be named narrowly enough. */
function selection(ctx: Context, endpoint: Endpoint, side: Side): Selection | null {
  const name = sideName(ctx.path, side);
  if (endpoint.kind === "pods") {
    if (endpoint.invalid.length > 0) {
      warn(ctx, "labels_invalid", `labels of the ${sideWord(side)} ${name} that are not Kubernetes labels were left out of its selector: ${endpoint.invalid.join(", ")}`);
    }
    if (!hasIdentifyingLabel(endpoint.labels)) {
      warn(ctx, "broad_selector", `the ${sideWord(side)} ${name} is selected by ${formatLabels(endpoint.labels)}, no label naming its workload (such as app): other pods of namespace ${endpoint.namespace} carrying these labels are selected too`);
    }
    return { kind: "pods", namespace: endpoint.namespace, labels: endpoint.labels };
  }
  if (endpoint.kind === "namespace") {
    const why = endpoint.labelsSeen ? "its pods carry no label a selector can use" : "the drops carry no labels for it";
    if (!ctx.scope.includes("namespace")) {
      warn(ctx, "labels_unknown", `labels unknown for the ${sideWord(side)} ${name} (${why}): chose nothing; pass scope=namespace to allow every pod of namespace ${endpoint.namespace}`, "namespace");
      return null;
    }
    warn(ctx, "namespace_scope", `the ${sideWord(side)} is every pod of namespace ${endpoint.namespace} (scope=namespace; ${why})`);
    return { kind: "namespace", namespace: endpoint.namespace };
  }
  return null;
}

function peerOf(ctx: Context, endpoint: Endpoint, side: Side, moreAddresses: number): Peer | null {
  const name = sideName(ctx.path, side);
  switch (endpoint.kind) {
    case "pods":
    case "namespace":
      return selection(ctx, endpoint, side);
    case "entity":
      return { kind: "entity", entity: endpoint.entity, ips: endpoint.ips };
    case "external":
      if (endpoint.ips.length === 0) {
        warn(ctx, "endpoint_unknown", `the ${sideWord(side)} is outside the cluster but the drops carry no address for it (aggregated records): chose nothing`);
        return null;
      }
      warn(ctx, "addresses", `the ${sideWord(side)} is outside the cluster: the rule allows only the address(es) seen (${endpoint.ips.join(", ")})${moreAddresses > 0 ? `; ${moreAddresses} more seen were left out` : ""}`);
      return { kind: "addresses", ips: endpoint.ips, external: true };
    case "address":
      if (!ctx.scope.includes("ip")) {
        warn(ctx, "address_only", `the ${sideWord(side)} is known only by its address ${endpoint.ips.join(", ")} (no namespace, no labels): chose nothing; pass scope=ip to allow that address`, "ip");
        return null;
      }
      warn(ctx, "ip_scope", `the ${sideWord(side)} is matched by its address (${endpoint.ips.join(", ")}; scope=ip): a pod that later gets this address is allowed too`);
      return { kind: "addresses", ips: endpoint.ips, external: false };
    case "unknown":
      warn(ctx, "endpoint_unknown", `nothing is known about the ${sideWord(side)} ${name} (no namespace, labels or address): chose nothing`);
      return null;
  }
}

function planDirection(ctx: Context, direction: "INGRESS" | "EGRESS"): AllowRule | null {
  const subjectSide: Side = direction === "INGRESS" ? "destination" : "source";
  const peerSide: Side = direction === "INGRESS" ? "source" : "destination";
  const subjectFacts = describeEndpoint(ctx.path, subjectSide);
  const peerFacts = describeEndpoint(ctx.path, peerSide);
  const subjectEndpoint = subjectFacts.endpoint;
  let subject: Selection | null = null;
  if (subjectEndpoint.kind === "pods" || subjectEndpoint.kind === "namespace") {
    subject = selection(ctx, subjectEndpoint, subjectSide);
  } else {
    const what = subjectEndpoint.kind === "entity" ? `a node (${subjectEndpoint.entity})` : subjectEndpoint.kind === "unknown" ? "unknown" : "not a pod";
    warn(ctx, "not_a_pod", `the ${direction.toLowerCase()} rule would apply to the ${sideWord(subjectSide)} ${sideName(ctx.path, subjectSide)}, which is ${what}: Dropboard writes namespaced pod policies only`);
  }
  const peer = peerOf(ctx, peerFacts.endpoint, peerSide, peerFacts.moreAddresses);
  if (!subject || !peer) return null;
  const l4 = l4Of(ctx.path);
  if (TRANSPORT.has(l4.protocol) && l4.port === null) {
    warn(ctx, "no_port", `the drops carry no destination port: the rule allows every ${l4.protocol} port between these endpoints`);
  }
  return {
    cluster: ctx.path.cluster,
    pathId: ctx.path.id,
    flow: describeFlow(ctx.path),
    direction,
    subject,
    peer,
    l4,
    name: policyName(ctx.path, direction),
    denyRule: ctx.path.reasons.includes("POLICY_DENY") || ctx.path.examples.some((e) => e.reason === "POLICY_DENY"),
    policies: ctx.path.policies,
  };
}

/** The rules that would allow one drop path, and what stood in the way of the others. */
export function planPath(path: PathInput, scope: readonly FixScope[]): Plan {
  const ctx: Context = { path, scope, warnings: [] };
  if (path.examples.length === 0) {
    warn(ctx, "no_examples", "no example events are kept for this drop path (they are older than the raw retention): its labels and addresses are unknown");
  }
  if (path.reasons.length > 0 && !path.reasons.some(isPolicyReason)) {
    warn(ctx, "not_policy_drop", `these drops are not policy drops (${path.reasons.join(", ")}): an allow rule would not stop them; chose nothing`);
    return { rules: [], warnings: ctx.warnings };
  }
  const directions: ("INGRESS" | "EGRESS")[] = path.direction === "UNKNOWN" ? ["INGRESS", "EGRESS"] : [path.direction];
  if (path.direction === "UNKNOWN") {
    warn(ctx, "direction_unknown", "the drops do not say which side dropped them: an ingress rule on the destination and an egress rule on the source are both needed");
  }
  const rules = directions.map((d) => planDirection(ctx, d)).filter((r): r is AllowRule => r !== null);
  return { rules, warnings: ctx.warnings };
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
}
