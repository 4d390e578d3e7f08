// OpenShift Network Observability (netobserv) flow records, as flowlogs-pipeline exports them
// (Kafka/IPFIX/OpenTelemetry JSON, or the Loki stream): SrcK8S_* / DstK8S_* enrichment,
// TimeFlowStartMs, Proto as a number, Sampling (1 in N packets), PktDrop* from the eBPF agent, and
// NetworkEvents from OVN-Kubernetes observability:
//   {"Feature": "acl", "Type": "NetworkPolicy", "Action": "drop", "Name": "deny-db", "Namespace": "shop", "Direction": "Ingress"}
// A flow is a drop when it carries a drop signal, and every drop is stored with its reason:
// - a policy ACL drop event (NetworkPolicy, NetpolNamespace, AdminNetworkPolicy,
//   BaselineAdminNetworkPolicy, EgressFirewall) -> POLICY_DENY / POLICY_DENIED with the policy names
//   (the only reasons that count for rollouts: ../policyReasons.ts);
// - otherwise a kernel drop -> the cause as netobserv writes it in PktDropLatestDropCause
//   (`SKB_DROP_REASON_*` from include/net/dropreason-core.h, `OVS_DROP_*` from the openvswitch module,
//   `SKB_DROP_UNKNOWN_CAUSE`; netobserv-ebpf-agent pkg/decode/flows/decode_protobuf.go
//   PktDropCauseToStr), no policies. A non-policy ACL drop event (MulticastNS, MulticastCluster,
//   UDNIsolation, ...) without a cause is stored as `NetworkEvent_<Type>`, the agent's own spelling
//   for an OVN drop cause (pkg/utils/networkevents). The agent writes the PktDrop* fields only when a
//   drop cause was seen (LatestDropCause != 0); PktDropLatestState is the TCP state of the socket
//   the last dropped packet belonged to (TCP_INVALID_STATE when there was none) and
//   PktDropLatestFlags the TCP flags of the dropped packets: neither changes the reason.
// The drop hook (kfree_skb) only counts packets the agent sampled, so dropped packets are scaled by
// Sampling like every other count. Flows with no drop signal at all are ignored.
import { hashedKey } from "../keys";
import { FIELD_LIMITS } from "../limits";
import { ignored, rejected, type ParseOutcome, type TrafficDirection } from "../types";
import { formatWorkload, workloadFromPodName } from "../workload";
import { buildDropEvent, protocolName, readTime } from "./event";
import { arrayAt, isObject, jsonText, numberAt, stringAt, type JsonObject } from "./json";

// OVN-Kubernetes ACL owners whose drops a policy rollout causes (observability-lib/model/network_event.go).
const POLICY_EVENT_TYPES = new Set(["NetworkPolicy", "NetpolNamespace", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "EgressFirewall"]);
// Isolation drops: the pod is selected by some policy and nothing allowed the flow.
const DEFAULT_DENY_TYPES = new Set(["NetworkPolicy", "NetpolNamespace", "BaselineAdminNetworkPolicy"]);
// Newer agents also write an OVN ACL drop as the drop cause: "NetworkEvent_" + the ACL owner type.
const NETWORK_EVENT_CAUSE = /^NetworkEvent_([A-Za-z]+)$/;

export function looksLikeNetobserv(record: JsonObject): boolean {
  return "TimeFlowStartMs" in record || "SrcK8S_Namespace" in record || "DstK8S_Namespace" in record || "NetworkEvents" in record;
}

interface Drop {
  reason: string;
  policies: string[];
  direction: TrafficDirection;
  packets: number;
}

export function parseNetobserv(record: JsonObject): ParseOutcome {
  // TimeReceived (UNIX seconds) stands in only for a missing start: a start no Date can hold is a bad record.
  const hasStart = record.TimeFlowStartMs !== undefined && record.TimeFlowStartMs !== null;
  const time = hasStart ? readTime(record.TimeFlowStartMs, "ms") : readTime(record.TimeReceived);
  if (time === null) {
    return rejected(hasStart ? "TimeFlowStartMs: not milliseconds since the epoch in 1970..9999" : "TimeFlowStartMs: missing (and no TimeReceived in UNIX seconds)");
  }
  // The same flow seen on another interface of the same node; its twin is counted.
  if (record.Duplicate === true) return ignored("netobserv duplicate flow (seen on another interface)");

  const drop = readDrop(record);
  if (drop === null) return ignored("netobserv flow without a drop (no drop network event, no dropped packets)");

  // Part of the dedupe key, as JSON; a value nested past the stack cannot be written, so it cannot be keyed.
  const interfaces = jsonText(record.Interfaces ?? null);
  if (interfaces === null) return rejected("Interfaces: nested too deeply to read (expected a list of interface names)");

  const sampling = numberAt(record, "Sampling");
  const sampleRate = sampling !== null && sampling > 1 ? Math.min(Math.round(sampling), FIELD_LIMITS.maxSampleRate) : 1;
  const { direction } = drop;
  const proto = numberAt(record, "Proto");
  const srcPort = numberAt(record, "SrcPort");
  const dstPort = numberAt(record, "DstPort");

  return {
    kind: "drop",
    event: buildDropEvent({
      time,
      cluster: stringAt(record, "K8S_ClusterName"),
      node: stringAt(record, direction === "EGRESS" ? "SrcK8S_HostName" : "DstK8S_HostName"),
      verdict: "DROPPED",
      direction,
      srcNamespace: stringAt(record, "SrcK8S_Namespace"),
      srcPod: podOf(record, "Src"),
      srcWorkload: workloadOf(record, "Src"),
      srcIp: stringAt(record, "SrcAddr"),
      srcPort: srcPort !== null && srcPort > 0 ? srcPort : null,
      dstNamespace: stringAt(record, "DstK8S_Namespace"),
      dstPod: podOf(record, "Dst"),
      dstWorkload: workloadOf(record, "Dst"),
      dstIp: stringAt(record, "DstAddr"),
      dstPort: dstPort !== null && dstPort > 0 ? dstPort : null,
      protocol: protocolName(proto ?? record.Proto),
      icmpType: proto === 1 || proto === 58 ? numberAt(record, "IcmpType") : null,
      reason: drop.reason.slice(0, FIELD_LIMITS.reason),
      policies: drop.policies.slice(0, FIELD_LIMITS.policies),
      // Sampled 1 in N: each seen packet stands for N.
      count: Math.min(Math.max(1, Math.round(drop.packets)) * sampleRate, FIELD_LIMITS.maxCount),
      sampleRate,
      source: "netobserv",
      key: hashedKey("netobserv", [
        stringAt(record, "AgentIP"), numberAt(record, "TimeFlowStartMs"), numberAt(record, "TimeFlowEndMs"),
        stringAt(record, "SrcAddr"), srcPort, stringAt(record, "DstAddr"), dstPort, proto, stringAt(record, "SrcMac"),
        stringAt(record, "DstMac"), interfaces,
      ]),
    }),
  };
}

/** What dropped the flow: a policy ACL first, else the kernel (or a non-policy ACL); null when nothing did. */
function readDrop(record: JsonObject): Drop | null {
  const aclDrops = arrayAt(record, "NetworkEvents")
    .filter(isObject)
    .filter((event) => typeof event.Action === "string" && event.Action.toLowerCase() === "drop");
  const cause = stringAt(record, "PktDropLatestDropCause");
  const causeType = cause === null ? null : (NETWORK_EVENT_CAUSE.exec(cause)?.[1] ?? null);
  const flowDirection = numberAt(record, "FlowDirection");
  const droppedPackets = numberAt(record, "PktDropPackets") ?? 0;
  const flowPackets = numberAt(record, "Packets") ?? 1;

  const policyDrops = aclDrops.filter((event) => POLICY_EVENT_TYPES.has(stringAt(event, "Type") ?? ""));
  // A cause naming a policy ACL without the event itself: a policy drop whose policy is not named.
  if (policyDrops.length === 0 && causeType !== null && POLICY_EVENT_TYPES.has(causeType)) policyDrops.push({ Type: causeType });
  if (policyDrops.length > 0) {
    const explicit = policyDrops.some((event) => !DEFAULT_DENY_TYPES.has(stringAt(event, "Type") ?? ""));
    return {
      reason: explicit ? "POLICY_DENY" : "POLICY_DENIED",
      policies: [...new Set(policyDrops.map(policyName).filter((name): name is string => name !== null))],
      direction: readDirection(stringAt(policyDrops[0] ?? null, "Direction"), flowDirection),
      packets: droppedPackets > 0 ? droppedPackets : flowPackets,
    };
  }

  const aclDrop = aclDrops[0] ?? null;
  if (cause === null && droppedPackets <= 0 && aclDrop === null) return null;
  return {
    reason: cause ?? (aclDrop ? `NetworkEvent_${stringAt(aclDrop, "Type") ?? "Unknown"}` : "SKB_DROP_UNKNOWN_CAUSE"),
    policies: [],
    direction: readDirection(stringAt(aclDrop, "Direction"), flowDirection),
    // Only the dropped packets count; an ACL drop without drop counters stands for the flow's packets.
    packets: droppedPackets > 0 ? droppedPackets : aclDrop ? flowPackets : 1,
  };
}

function readDirection(eventDirection: string | null, flowDirection: number | null): TrafficDirection {
  const lower = eventDirection?.toLowerCase();
  if (lower === "ingress") return "INGRESS";
  if (lower === "egress") return "EGRESS";
  // FlowDirection is the node's view (0 ingress, 1 egress, 2 inner): a fallback only.
  if (flowDirection === 0) return "INGRESS";
  if (flowDirection === 1) return "EGRESS";
  return "UNKNOWN";
}

function policyName(event: JsonObject): string | null {
  const name = stringAt(event, "Name");
  if (name === null) return null;
  const namespace = stringAt(event, "Namespace");
  const type = stringAt(event, "Type");
  const qualified = type === "AdminNetworkPolicy" ? `anp:${name}` : type === "BaselineAdminNetworkPolicy" ? `banp:${name}` : name;
  return namespace ? `${namespace}/${qualified}` : qualified;
}

function podOf(record: JsonObject, side: "Src" | "Dst"): string | null {
  return stringAt(record, `${side}K8S_Type`) === "Pod" ? stringAt(record, `${side}K8S_Name`) : null;
}

function workloadOf(record: JsonObject, side: "Src" | "Dst"): string | null {
  const owner = stringAt(record, `${side}K8S_OwnerName`);
  if (owner) return formatWorkload(owner, stringAt(record, `${side}K8S_OwnerType`));
  const name = stringAt(record, `${side}K8S_Name`);
  if (name === null) return null;
  return stringAt(record, `${side}K8S_Type`) === "Pod" ? workloadFromPodName(name) : formatWorkload(name, stringAt(record, `${side}K8S_Type`));
}
