// What the fix generators read and write: a drop path with the example events behind it, in;
// the narrowest allow rule for it in one policy language, with plain-spoken warnings, out.
import type { DropSource, TrafficDirection } from "../ingest/types";

export const FIX_FORMATS = ["kubernetes", "cilium", "calico", "antrea"] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

/**
 * Broader rules the user may choose where the drops do not say enough (never applied unasked):
 * - `namespace`: a pod whose labels are unknown stands for every pod of its namespace;
 * - `ip`: an endpoint known only by its address (no namespace, no labels) is matched by the addresses
 *   seen, which another pod may get later.
 */
export const FIX_SCOPES = ["namespace", "ip"] as const;
export type FixScope = (typeof FIX_SCOPES)[number];

/** One example event of a drop path: the fields a rule is made from. */
export interface ExampleEvent {
  source: DropSource;
  direction: TrafficDirection;
  srcNamespace: string | null;
  srcWorkload: string | null;
  srcIp: string | null;
  srcIdentity: number | null;
  srcLabels: string[];
  dstNamespace: string | null;
  dstWorkload: string | null;
  dstIp: string | null;
  dstIdentity: number | null;
  dstLabels: string[];
  protocol: string;
  dstPort: number | null;
  icmpType: number | null;
  reason: string;
  policies: string[];
}

/** A drop path (its identity and facts) with its newest example events. */
export interface PathInput {
  cluster: string;
  id: string;
  direction: TrafficDirection;
  srcNamespace: string | null;
  srcWorkload: string | null;
  dstNamespace: string | null;
  dstWorkload: string | null;
  dstPort: number | null;
  protocol: string;
  reasons: string[];
  policies: string[];
  examples: ExampleEvent[];
}

export interface FixOptions {
  format: FixFormat;
  scope: readonly FixScope[];
  /** Calico: a StagedNetworkPolicy (watched in flow logs before it is enforced) instead of a NetworkPolicy. */
  staged: boolean;
  /** Calico and Antrea: the tier to put the policy in (default: Calico's the denying policy's, else `default`; Antrea `application`). */
  tier: string | null;
  /** Antrea: the policy's priority in its tier (lower goes first). */
  priority: number;
}

export type WarningCode =
  | "no_examples"
  | "labels_unknown"
  | "address_only"
  | "endpoint_unknown"
  | "not_a_pod"
  | "namespace_scope"
  | "ip_scope"
  | "labels_invalid"
  | "broad_selector"
  | "no_port"
  | "icmp_type_unknown"
  | "protocol_unsupported"
  | "direction_unknown"
  | "deny_rule"
  | "tier"
  | "not_policy_drop"
  | "format_unavailable"
  | "addresses"
  | "nodes_by_address"
  | "many_clusters"
  | "too_many_paths"
  | "no_surprises";

export interface FixWarning {
  code: WarningCode;
  message: string;
  /** The drop path it is about, when it is about one. */
  cluster?: string;
  pathId?: string;
  /** The scope that would let Dropboard write (more of) the rule, when one would. */
  scope?: FixScope;
}

/** A Kubernetes object as it is applied (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}
