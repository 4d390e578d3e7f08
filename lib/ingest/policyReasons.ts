// Policy reasons: the drop reasons a policy rollout can cause, per source (DESIGN.md, "The drop
// event"). Every drop is stored with its reason; only these count for rollout health. Any other
// reason (conntrack, routing, kernel drops, ...) is an "other drop in scope" and never touches a
// budget. Rollups store the reason without its source, so SQL matches the flat list
// (`reason = ANY($1)`): no source may emit one of these names for a drop that is not policy's doing.
import type { DropSource } from "./types";

// Cilium's DropReason names (api/v1/flow/flow.proto; codes in bpf/lib/common.h, later
// bpf/lib/drop_reasons.h; verdicts in bpf/lib/policy.h __policy_can_access / __policy_check).
const CILIUM = [
  "POLICY_DENIED", // 133 DROP_POLICY: the endpoint is selected by a policy and no rule allows the flow (default deny)
  "POLICY_DENY", // 181 DROP_POLICY_DENY: a deny rule matched (ingressDeny / egressDeny)
  "AUTH_REQUIRED", // 189 DROP_POLICY_AUTH_REQUIRED: the allowing rule requires mutual authentication, not yet done
] as const;
// Not policy reasons, though the names suggest it: NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION
// (165, "Unused" in pkg/monitor/api/drop.go), DENIED_BY_LB_SRC_RANGE_CHECK (177, a Service's
// loadBalancerSourceRanges), DROP_EP_NOT_READY (203, the endpoint's policy program is not loaded yet:
// bpf/lib/local_delivery.h tail_call_policy), IP_FRAGMENTATION_NOT_SUPPORTED (157, returned by
// __policy_can_access for an untracked fragment), ENCAPSULATION_TRAFFIC_IS_PROHIBITED (170, a pod
// sending to the tunnel port). Cilium has no POLICY_DENIED_BY_* reason.

/** Dropboard's names shared by every source that reports a policy verdict (Hubble's vocabulary). */
const POLICY_VERDICTS = ["POLICY_DENIED", "POLICY_DENY"] as const;

export const POLICY_REASONS: Readonly<Record<DropSource, readonly string[]>> = {
  hubble: [
    ...CILIUM,
    // Our name for a Hubble L7 flow with verdict DROPPED: the proxy denied the request by an L7 rule
    // (Hubble gives L7 flows no drop reason; formats/hubble.ts readReason).
    "L7_POLICY_DENIED",
  ],
  // Calico flow logs (Enterprise flows.log, Goldmane FlowKey.action "the ultimate action taken on the
  // flow", goldmane/proto/api.proto) record policy verdicts only: every deny is a policy's. An explicit
  // deny rule is POLICY_DENY; the end-of-tier default (rule -1 / kind EndOfTier) is POLICY_DENIED
  // (formats/calicoPolicies.ts).
  calico: POLICY_VERDICTS,
  // Antrea np.log is the NetworkPolicy audit log (pkg/agent/controller/networkpolicy/audit_logging.go):
  // Drop and Reject come from a policy rule (POLICY_DENY) or the K8s NetworkPolicy isolation default,
  // logged as a bare "K8sNetworkPolicy" (POLICY_DENIED).
  antrea: POLICY_VERDICTS,
  // netobserv: OVN-Kubernetes ACL drop events whose owner is a policy (NetworkPolicy, NetpolNamespace,
  // AdminNetworkPolicy, BaselineAdminNetworkPolicy, EgressFirewall; ovn-kubernetes
  // observability-lib/model/network_event.go). Kernel causes (SKB_DROP_REASON_*, OVS_DROP_*) and other
  // ACL owners (NetworkEvent_UDNIsolation, NetworkEvent_Multicast*) are not (formats/netobserv.ts).
  netobserv: POLICY_VERDICTS,
  // Native records count when their reason is one of the names above (a native sender uses the same
  // vocabulary; the native default reason is POLICY_DENIED, formats/native.ts), or `deny`, the bare
  // reason DESIGN.md ("The drop event", `reason`) allows.
  native: [...CILIUM, "L7_POLICY_DENIED", "deny"],
};

/** Every source's policy reasons, once each: what rollups are filtered by. */
export const ALL_POLICY_REASONS: readonly string[] = [...new Set(Object.values(POLICY_REASONS).flat())];

const POLICY_REASON_SET: ReadonlySet<string> = new Set(ALL_POLICY_REASONS);

/** Whether a stored drop's reason is one a policy rollout can cause. */
export function isPolicyReason(reason: string): boolean {
  return POLICY_REASON_SET.has(reason);
}
