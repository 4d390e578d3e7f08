// Calico Enterprise / Calico Cloud flow logs: the JSON records Felix writes to
// /var/log/calico/flowlogs/flows.log and ships to Elasticsearch ("Flow log data types").
// One record aggregates the flows of one src -> dst pair over a flush interval (start/end in UNIX
// seconds), reported by the source node (reporter "src", egress policy) or the destination node
// (reporter "dst", ingress policy).
import { hashedKey } from "../keys";
import { ignored, rejected, type ParseOutcome, type TrafficDirection } from "../types";
import { workloadFromPodName } from "../workload";
import { decideCalicoVerdict, readAction, readPolicyHits } from "./calicoPolicies";
import { buildDropEvent, protocolName, readTime } from "./event";
import { numberAt, objectAt, shownValue, stringAt, stringsAt, type JsonObject } from "./json";

const MAX_POLICIES = 16;

/** Enterprise records are flat, with `num_flows` or the aggregated `*_name_aggr` names. */
export function looksLikeCalico(record: JsonObject): boolean {
  if (!("start_time" in record) || !("action" in record)) return false;
  return "num_flows" in record || "source_name_aggr" in record || "dest_name_aggr" in record || "reporter" in record;
}

export function parseCalico(record: JsonObject): ParseOutcome {
  const start = readTime(record.start_time);
  if (start === null) return rejected("start_time: missing or not UNIX seconds");
  const policies = objectAt(record, "policies");
  const action = readAction(record.action);
  if (action === "unknown") return rejected(`action: "${shownValue(record.action)}" is not allow or deny`);
  // Newer Felix splits the trace into enforced and pending (staged) policies; older ones have all_policies only.
  const enforced = readPolicyHits(policies?.enforced_policies ?? policies?.all_policies);
  const pending = readPolicyHits(policies?.pending_policies);
  const decision = decideCalicoVerdict(action, enforced, pending);
  if (decision === null) return ignored(`action ${action} with no staged deny is not a drop`);

  const reporter = stringAt(record, "reporter");
  const direction: TrafficDirection = reporter === "dst" ? "INGRESS" : reporter === "src" ? "EGRESS" : "UNKNOWN";
  const srcNamespace = calicoNamespace(stringAt(record, "source_namespace"));
  const dstNamespace = calicoNamespace(stringAt(record, "dest_namespace"));
  const srcWorkload = workloadOf(record, "source");
  const dstWorkload = workloadOf(record, "dest");
  const dstPort = numberAt(record, "dest_port");
  const protocol = protocolName(record.proto ?? record.protocol);
  const numFlows = numberAt(record, "num_flows");
  const end = numberAt(record, "end_time") ?? stringAt(record, "end_time");

  return {
    kind: "drop",
    event: buildDropEvent({
      time: start,
      node: stringAt(record, "host"),
      verdict: decision.verdict,
      direction,
      srcNamespace,
      srcPod: podOf(stringAt(record, "source_name")),
      srcWorkload,
      srcIp: stringAt(record, "source_ip"),
      srcPort: numberAt(record, "source_port"),
      srcLabels: labelsOf(record, "source_labels"),
      dstNamespace,
      dstPod: podOf(stringAt(record, "dest_name")),
      dstWorkload,
      dstIp: stringAt(record, "dest_ip"),
      dstPort,
      dstLabels: labelsOf(record, "dest_labels"),
      protocol,
      reason: decision.reason,
      policies: decision.policies.slice(0, MAX_POLICIES),
      count: numFlows !== null && numFlows > 0 ? numFlows : 1,
      source: "calico",
      // Without the reporter: the same flow logged by both ends counts once.
      key: hashedKey("calico", [
        start.getTime(), end, decision.verdict, srcNamespace, srcWorkload, stringAt(record, "source_ip"),
        dstNamespace, dstWorkload, stringAt(record, "dest_ip"), dstPort, protocol,
      ]),
    }),
  };
}

/** "-" is Calico's "not namespaced" (a host or a network). */
export function calicoNamespace(value: string | null): string | null {
  return value === null || value === "-" ? null : value;
}

function podOf(name: string | null): string | null {
  return name === null || name === "-" || name === "pub" || name === "pvt" || name.endsWith("*") ? null : name;
}

/** Network endpoints aggregate to "pub"/"pvt"; pods to "name-<rs hash>-*". */
export function calicoWorkload(aggregated: string | null, type: string | null): string | null {
  if (aggregated === null || aggregated === "-") return null;
  if (aggregated === "pub") return "world";
  if (aggregated === "pvt") return "private network";
  if (type === "hep") return `host:${aggregated}`;
  if (type === "ns") return `networkset:${aggregated}`;
  if (aggregated.endsWith("-*")) {
    const base = aggregated.slice(0, -2);
    // A ReplicaSet's pods: "checkoutservice-598d5b586d-*" belongs to Deployment checkoutservice.
    return /^(.+)-[a-z0-9]{6,10}$/.exec(base)?.[1] ?? base;
  }
  return workloadFromPodName(aggregated);
}

function workloadOf(record: JsonObject, side: "source" | "dest"): string | null {
  return calicoWorkload(stringAt(record, `${side}_name_aggr`) ?? stringAt(record, `${side}_name`), stringAt(record, `${side}_type`));
}

/** Labels as {"labels": ["app=x"]} (Elasticsearch) or a plain list. */
function labelsOf(record: JsonObject, key: string): string[] {
  const nested = objectAt(record, key);
  return (nested ? stringsAt(nested, "labels") : stringsAt(record, key)).slice(0, 64);
}
