// OpenShift Network Observability (netobserv) flow records, as flowlogs-pipeline exports them
// (Kafka/IPFIX/OpenTelemetry JSON, or the Loki stream): SrcK8S_* / DstK8S_* enrichment,
// TimeFlowStartMs, Proto as a number, Sampling (1 in N packets), PktDrop* from the eBPF agent, and
// NetworkEvents from OVN-Kubernetes observability:
//   {"Feature": "acl", "Type": "NetworkPolicy", "Action": "drop", "Name": "deny-db", "Namespace": "shop", "Direction": "Ingress"}
// Only flows carrying a policy drop event are drops here; other kernel drops (PktDropLatestDropCause
// without a policy event) are not policy's doing and are ignored.
import { hashedKey } from "../keys";
import { FIELD_LIMITS } from "../limits";
import { ignored, rejected, type ParseOutcome, type TrafficDirection } from "../types";
import { formatWorkload, workloadFromPodName } from "../workload";
import { buildDropEvent, protocolName, readTime } from "./event";
import { arrayAt, isObject, numberAt, stringAt, type JsonObject } from "./json";

// OVN-Kubernetes ACL owners whose drops are policy drops.
const POLICY_EVENT_TYPES = new Set([
  "NetworkPolicy",
  "NetpolNamespace",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "EgressFirewall",
  "MulticastNS",
  "MulticastCluster",
  "UDNIsolation",
]);
// Isolation drops: the pod is selected by some policy and nothing allowed the flow.
const DEFAULT_DENY_TYPES = new Set(["NetworkPolicy", "NetpolNamespace", "BaselineAdminNetworkPolicy", "UDNIsolation"]);

export function looksLikeNetobserv(record: JsonObject): boolean {
  return "TimeFlowStartMs" in record || "SrcK8S_Namespace" in record || "DstK8S_Namespace" in record || "NetworkEvents" in record;
}

export function parseNetobserv(record: JsonObject): ParseOutcome {
  const time = readTime(record.TimeFlowStartMs, "ms") ?? readTime(record.TimeReceived);
  if (time === null) return rejected("TimeFlowStartMs: missing or not milliseconds since the epoch");
  // The same flow seen on another interface of the same node; its twin is counted.
  if (record.Duplicate === true) return ignored("netobserv duplicate flow (seen on another interface)");

  const drops = arrayAt(record, "NetworkEvents")
    .filter(isObject)
    .filter((event) => String(event.Action).toLowerCase() === "drop" && POLICY_EVENT_TYPES.has(stringAt(event, "Type") ?? ""));
  if (drops.length === 0) {
    const cause = stringAt(record, "PktDropLatestDropCause");
    return ignored(cause ? `netobserv drop ${cause} is not a policy drop` : "netobserv flow without a policy drop event");
  }

  const sampling = numberAt(record, "Sampling");
  const sampleRate = sampling !== null && sampling > 1 ? Math.min(Math.round(sampling), FIELD_LIMITS.maxSampleRate) : 1;
  const droppedPackets = numberAt(record, "PktDropPackets");
  const packets = droppedPackets !== null && droppedPackets > 0 ? droppedPackets : (numberAt(record, "Packets") ?? 1);
  const direction = readDirection(stringAt(drops[0] ?? null, "Direction"), numberAt(record, "FlowDirection"));
  const policies = [...new Set(drops.map(policyName).filter((name): name is string => name !== null))];
  const explicit = drops.some((event) => !DEFAULT_DENY_TYPES.has(stringAt(event, "Type") ?? ""));
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
      reason: explicit ? "POLICY_DENY" : "POLICY_DENIED",
      policies: policies.slice(0, FIELD_LIMITS.policies),
      // Sampled 1 in N: each seen packet stands for N.
      count: Math.min(Math.max(1, Math.round(packets)) * sampleRate, FIELD_LIMITS.maxCount),
      sampleRate,
      source: "netobserv",
      key: hashedKey("netobserv", [
        stringAt(record, "AgentIP"), numberAt(record, "TimeFlowStartMs"), numberAt(record, "TimeFlowEndMs"),
        stringAt(record, "SrcAddr"), srcPort, stringAt(record, "DstAddr"), dstPort, proto, stringAt(record, "SrcMac"),
        stringAt(record, "DstMac"), JSON.stringify(record.Interfaces ?? null),
      ]),
    }),
  };
}

function readDirection(eventDirection: string | null, flowDirection: number | null): TrafficDirection {
  const lower = eventDirection?.toLowerCase();
  if (lower === "ingress") return "INGRESS";
  if (lower === "egress") return "EGRESS";
  // FlowDirection is the node's view (0 ingress, 1 egress): a fallback only.
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
