// Cilium Hubble flows: `hubble observe -o json|jsonpb` ({"flow": {...}}), the exporter file
// ({"flow": {...}, "node_name", "time"}) and the bare flow object of older versions.
// jsonpb omits zero values, so every field may be missing.
//
// One packet denied by policy is reported twice (cilium/cilium bpf/bpf_lxc.c: the policy lookup calls
// send_policy_verdict_notify() from bpf/lib/policy_log.h, then the caller's send_drop_notify() from
// bpf/lib/drop.h), both with the same drop reason (pkg/hubble/parser/threefour/parser.go,
// decodeDropReason: a Drop event's sub_type, or minus a PolicyVerdict's verdict):
// - a Drop event (`event_type.type` 1): sent for every drop (the agent turns DropNotify on,
//   daemon/cmd/daemon_main.go initEnv). It counts the drop.
// - a PolicyVerdict event (type 5): sent only where the endpoint enforces policy in that direction
//   (pkg/endpoint GetPolicyVerdictLogFilter, checked in policy_log.h) and the events rate limit allows.
//   Only it names the denying policies (pkg/policy/correlation CorrelatePolicy fills `*_denied_by` on
//   type 5 events alone), so it is an annotation of its Drop event's drop path: it counts nothing.
// Audit mode sends no Drop event: the verdict is turned into an allow with `audited` set (bpf/lib/policy.h,
// POLICY_AUDIT_MODE) and the PolicyVerdict event says AUDIT (decodeVerdict), so AUDIT flows are counted.
import { hashedKey } from "../keys";
import { parseRfc3339 } from "./event";
import {
  annotation,
  ignored,
  policyNamespace,
  rejected,
  type DropEvent,
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
    // The reason is a tally key in the reply: a verdict no Hubble prints is cut short, as rejections cut values.
    return ignored(`verdict ${verdictName.slice(0, 40)} is not a drop`);
  }
  const verdict: Verdict = verdictName;
  const eventType = objectAt(flow, "event_type");
  const eventTypeCode = numberAt(eventType, "type");
  const policyVerdictCopy = verdict === "DROPPED" && eventTypeCode === EVENT_TYPE_POLICY_VERDICT;

  const time = readFlowTime(record, flow);
  if ("rejected" in time) return rejected(time.rejected);
  const timeText = time.text;

  const { cluster, node } = splitNodeName(stringAt(record, "node_name") ?? stringAt(flow, "node_name"));
  const source = objectAt(flow, "source");
  const destination = objectAt(flow, "destination");
  const ip = objectAt(flow, "IP");
  const l4 = readLayer4(objectAt(flow, "l4"));
  const verdictDirection = readDirection(flow.traffic_direction);
  const direction = policyVerdictCopy ? dropEventDirection(verdictDirection, source) : verdictDirection;
  const srcNamespace = stringAt(source, "namespace");
  const dstNamespace = stringAt(destination, "namespace");
  const srcIp = stringAt(ip, "source");
  const dstIp = stringAt(ip, "destination");
  const policies = readPolicies(flow);
  const recordCluster =
    cluster ?? stringAt(direction === "EGRESS" ? source : destination, "cluster_name") ?? stringAt(source, "cluster_name");

  const event: DropEvent = {
    time: time.date,
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
    reason: readReason(flow, verdict, eventTypeCode, numberAt(eventType, "sub_type"), policies),
    policies,
    count: 1,
    sampleRate: 1,
    source: "hubble",
    key:
      stringAt(flow, "uuid") !== null
        ? `hubble:${stringAt(flow, "uuid")}`
        : hashedKey("hubble", [
            timeText, node, srcIp, l4.srcPort, dstIp, l4.dstPort, l4.protocol, l4.icmpType, verdict,
            // Keeps a copy's key apart from its Drop event's, should both carry the same time.
            ...(policyVerdictCopy ? ["policy-verdict"] : []),
          ]),
  };
  return policyVerdictCopy ? annotation(event, "policy-verdict copy") : { kind: "drop", event };
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

/**
 * `flow.time` (else the exporter's top-level `time`): a protobuf Timestamp, which Hubble's JSON (protojson,
 * cilium/cilium api/v1/flow/flow.pb.json.go) always prints as RFC 3339 in UTC, never as a number.
 */
function readFlowTime(record: JsonObject, flow: JsonObject): { text: string; date: Date } | { rejected: string } {
  const inFlow = flow.time !== undefined && flow.time !== null;
  const field = inFlow ? "flow.time" : "time";
  const value = inFlow ? flow.time : record.time;
  if (value === undefined || value === null || value === "") return { rejected: "time: missing (flow.time)" };
  if (typeof value !== "string") return { rejected: `${field}: must be an RFC 3339 string, not a ${typeof value}` };
  const date = parseRfc3339(value);
  if (date === null) {
    return { rejected: `${field}: "${value.slice(0, 40)}" is not an RFC 3339 timestamp with a zone (Z or an offset like +02:00) in 1970..9999` };
  }
  return { text: value, date };
}

/**
 * The direction Hubble gives the Drop event of the packet a PolicyVerdict event reports, so the copy lands
 * on the drop path its Drop event counts (cilium/cilium pkg/hubble/parser/threefour/parser.go,
 * decodeTrafficDirection). A PolicyVerdict's direction is the datapath's own (`pvn.IsTrafficIngress()`);
 * a Drop's is inferred: EGRESS when the endpoint that dropped the packet (`dn.Source`, the endpoint that
 * took the verdict) is the packet's source as resolved to a local endpoint (`srcEP.ID`), else INGRESS.
 * They differ when an EGRESS verdict's source is not resolved to a local endpoint: no `ID` (e.g. the host
 * under the host firewall, whose IPs are not in the endpoint manager), where the Drop event says INGRESS.
 * A source with a pod name but no `ID` is taken as a field mask that dropped `ID`, not as that case.
 */
function dropEventDirection(verdictDirection: TrafficDirection, source: JsonObject | null): TrafficDirection {
  if (verdictDirection !== "EGRESS") return verdictDirection;
  const localEndpoint = (numberAt(source, "ID") ?? 0) > 0 || stringAt(source, "pod_name") !== null;
  return localEndpoint ? "EGRESS" : "INGRESS";
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

function readReason(
  flow: JsonObject,
  verdict: Verdict,
  eventType: number | null,
  subType: number | null,
  policies: readonly string[],
): string {
  const described = flow.drop_reason_desc;
  if (typeof described === "string" && described !== "" && described !== "DROP_REASON_UNKNOWN") return described;
  if (typeof described === "number" && described > 0) return dropReasonName(described);
  const code = numberAt(flow, "drop_reason");
  if (code !== null && code > 0) return dropReasonName(code);
  if (eventType === EVENT_TYPE_DROP && subType !== null && subType > 0) return dropReasonName(subType);
  // A PolicyVerdict event carries its Drop event's reason (minus its verdict, decodeDropReason); without
  // it, the reason follows from CorrelatePolicy naming policies only for deny rules (POLICY_DENY).
  if (eventType === EVENT_TYPE_POLICY_VERDICT && verdict === "DROPPED") return policies.length > 0 ? "POLICY_DENY" : "POLICY_DENIED";
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
