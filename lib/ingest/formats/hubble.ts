// Cilium Hubble flows: `hubble observe -o json|jsonpb` ({"flow": {...}}), the exporter file
// ({"flow": {...}, "node_name", "time"}) and the bare flow object of older versions.
// jsonpb omits zero values, so every field may be missing.
import { hashedKey } from "../keys";
import {
  ignored,
  policyNamespace,
  rejected,
  type ParseOutcome,
  type TrafficDirection,
  type Verdict,
} from "../types";
import { formatWorkload, workloadFromPodName } from "../workload";
import { dropReasonName } from "./hubbleDropReasons";
import {
  arrayAt,
  isObject,
  numberAt,
  objectAt,
  stringAt,
  stringsAt,
  type JsonObject,
} from "./json";

// Verdict enum values, for encoders that print numbers.
const VERDICT_NAMES = ["VERDICT_UNKNOWN", "FORWARDED", "DROPPED", "ERROR", "AUDIT", "REDIRECTED", "TRACED", "TRANSLATED"];
const EVENT_TYPE_DROP = 1;
const EVENT_TYPE_POLICY_VERDICT = 5;
const MAX_POLICIES = 16;

/** Hubble's own shapes: a `flow` wrapper, or a bare flow with Hubble's field names. */
export function looksLikeHubble(record: JsonObject): boolean {
  if (isObject(record.flow) || isObject(record.node_status) || isObject(record.lost_events)) return true;
  return "verdict" in record && ("IP" in record || "l4" in record || "event_type" in record || "Type" in record || isObject(record.source));
}

export function parseHubble(record: JsonObject): ParseOutcome {
  if (!isObject(record.flow)) {
    if (isObject(record.node_status)) return ignored("hubble node_status record, not a flow");
    if (isObject(record.lost_events)) return ignored("hubble lost_events record, not a flow");
  }
  const flow = objectAt(record, "flow") ?? record;

  const verdictName = enumName(flow.verdict, VERDICT_NAMES) ?? "VERDICT_UNKNOWN";
  if (verdictName !== "DROPPED" && verdictName !== "AUDIT") {
    return ignored(`verdict ${verdictName} is not a drop`);
  }
  const verdict: Verdict = verdictName;
  const eventType = objectAt(flow, "event_type");
  const eventTypeCode = numberAt(eventType, "type");
  // One denied packet shows up as a Drop event and as a PolicyVerdict event: the drop event is
  // always emitted for an enforced drop, so the verdict event would count it twice.
  if (verdict === "DROPPED" && eventTypeCode === EVENT_TYPE_POLICY_VERDICT) {
    return ignored("policy-verdict event for a dropped packet; its drop event counts it");
  }

  const timeText = stringAt(flow, "time") ?? stringAt(record, "time");
  if (timeText === null) return rejected("time: missing (flow.time)");
  const time = new Date(timeText);
  if (Number.isNaN(time.getTime())) return rejected(`time: "${timeText.slice(0, 40)}" is not an RFC 3339 timestamp`);

  const { cluster, node } = splitNodeName(stringAt(record, "node_name") ?? stringAt(flow, "node_name"));
  const source = objectAt(flow, "source");
  const destination = objectAt(flow, "destination");
  const ip = objectAt(flow, "IP");
  const l4 = readLayer4(objectAt(flow, "l4"));
  const direction = readDirection(flow.traffic_direction);
  const srcNamespace = stringAt(source, "namespace");
  const dstNamespace = stringAt(destination, "namespace");
  const srcIp = stringAt(ip, "source");
  const dstIp = stringAt(ip, "destination");
  const recordCluster =
    cluster ?? stringAt(direction === "EGRESS" ? source : destination, "cluster_name") ?? stringAt(source, "cluster_name");

  return {
    kind: "drop",
    event: {
      time,
      cluster: recordCluster,
      node,
      verdict,
      direction,
      namespace: policyNamespace(direction, srcNamespace, dstNamespace),
      srcNamespace,
      srcPod: stringAt(source, "pod_name"),
      srcWorkload: readWorkload(source),
      srcIp,
      srcPort: l4.srcPort,
      srcIdentity: numberAt(source, "identity"),
      srcLabels: stringsAt(source, "labels"),
      dstNamespace,
      dstPod: stringAt(destination, "pod_name"),
      dstWorkload: readWorkload(destination),
      dstIp,
      dstPort: l4.dstPort,
      dstIdentity: numberAt(destination, "identity"),
      dstLabels: stringsAt(destination, "labels"),
      protocol: l4.protocol,
      icmpType: l4.icmpType,
      reason: readReason(flow, verdict, eventTypeCode, numberAt(eventType, "sub_type")),
      policies: readPolicies(flow),
      count: 1,
      sampleRate: 1,
      source: "hubble",
      key:
        stringAt(flow, "uuid") !== null
          ? `hubble:${stringAt(flow, "uuid")}`
          : hashedKey("hubble", [timeText, node, srcIp, l4.srcPort, dstIp, l4.dstPort, l4.protocol, l4.icmpType, verdict]),
    },
  };
}

function enumName(value: unknown, names: readonly string[]): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return names[value] ?? `UNKNOWN_${value}`;
  return null;
}

/** Hubble Relay prefixes node names with the cluster: "prod-eu/worker-3". */
function splitNodeName(nodeName: string | null): { cluster: string | null; node: string | null } {
  if (nodeName === null) return { cluster: null, node: null };
  const slash = nodeName.indexOf("/");
  if (slash <= 0) return { cluster: null, node: nodeName };
  return { cluster: nodeName.slice(0, slash), node: nodeName.slice(slash + 1) || null };
}

function readDirection(value: unknown): TrafficDirection {
  if (value === "INGRESS" || value === 1) return "INGRESS";
  if (value === "EGRESS" || value === 2) return "EGRESS";
  return "UNKNOWN";
}

interface Layer4 {
  protocol: string;
  srcPort: number | null;
  dstPort: number | null;
  icmpType: number | null;
}

function readLayer4(l4: JsonObject | null): Layer4 {
  for (const protocol of ["TCP", "UDP", "SCTP"]) {
    const ports = objectAt(l4 ?? {}, protocol);
    if (ports) {
      return { protocol, srcPort: numberAt(ports, "source_port"), dstPort: numberAt(ports, "destination_port"), icmpType: null };
    }
  }
  for (const protocol of ["ICMPv4", "ICMPv6"]) {
    const icmp = objectAt(l4 ?? {}, protocol);
    // jsonpb omits type 0 (echo reply), so a present message without `type` means 0.
    if (icmp) return { protocol, srcPort: null, dstPort: null, icmpType: numberAt(icmp, "type") ?? 0 };
  }
  return { protocol: "UNKNOWN", srcPort: null, dstPort: null, icmpType: null };
}

function readWorkload(endpoint: JsonObject | null): string | null {
  const workload = arrayAt(endpoint, "workloads").find(isObject);
  const workloadName = workload ? stringAt(workload, "name") : null;
  if (workload && workloadName) return formatWorkload(workloadName, stringAt(workload, "kind"));
  const pod = stringAt(endpoint, "pod_name");
  if (pod) return workloadFromPodName(pod);
  // Outside-the-cluster peers carry reserved identities (world, host, kube-apiserver, ...).
  return stringsAt(endpoint, "labels").find((label) => label.startsWith("reserved:")) ?? null;
}

function readReason(flow: JsonObject, verdict: Verdict, eventType: number | null, subType: number | null): string {
  const described = flow.drop_reason_desc;
  if (typeof described === "string" && described !== "" && described !== "DROP_REASON_UNKNOWN") return described;
  if (typeof described === "number" && described > 0) return dropReasonName(described);
  const code = numberAt(flow, "drop_reason");
  if (code !== null && code > 0) return dropReasonName(code);
  if (eventType === EVENT_TYPE_DROP && subType !== null && subType > 0) return dropReasonName(subType);
  // L7 denials come from the proxy, which reports no datapath drop reason.
  if (flow.Type === "L7" || flow.Type === 2 || isObject(flow.l7)) return "L7_POLICY_DENIED";
  // Audit mode: "would have been denied by policy".
  if (verdict === "AUDIT") return "POLICY_DENIED";
  return "UNKNOWN";
}

function readPolicies(flow: JsonObject): string[] {
  const names = new Set<string>();
  for (const key of ["ingress_denied_by", "egress_denied_by"]) {
    for (const policy of arrayAt(flow, key)) {
      if (!isObject(policy)) continue;
      const name = stringAt(policy, "name");
      if (!name) continue;
      const namespace = stringAt(policy, "namespace");
      names.add(namespace ? `${namespace}/${name}` : name);
    }
  }
  return [...names].slice(0, MAX_POLICIES);
}
