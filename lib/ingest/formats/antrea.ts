// Antrea NetworkPolicy audit log lines (/var/log/antrea/networkpolicy/np.log), text:
//   <date> <time> <ovs-table> <policy-ref> <rule-name> <direction> <action> <of-priority> <applied-to-pod>
//   <src-ip> <src-port> <dst-ip> <dst-port> <protocol> <packet-length> <log-label> [<N> packets in <duration>]
// (antrea-io/antrea docs/antrea-network-policy.md). "<nil>" marks an absent value. Lines before
// Antrea 1.12 lack rule name, direction and applied-to pod: <date> <time> <table> <ref> <action>
// <priority> <src-ip> <src-port> <dst-ip> <dst-port> <protocol> <length> [label]. Antrea merges
// repeated non-Allow packets within a second into one line with "[N packets in D]" (all N counted).
// Times are the agent's clock (UTC in the antrea-agent container).
import { hashedKey } from "../keys";
import { ignored, rejected, type ParseOutcome, type TrafficDirection } from "../types";
import { workloadFromPodName } from "../workload";
import { buildDropEvent, protocolName } from "./event";

const LINE_START = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})? /;
const MERGED = /\s\[(\d+) packets in [^\]]*\]\s*$/;
const ACTIONS = new Set(["Allow", "Drop", "Reject", "Pass", "Redirect"]);
const MAX_LINE = 4096;

export function looksLikeAntrea(line: string): boolean {
  return LINE_START.test(line.trimStart());
}

const nil = (value: string | undefined): string | null => (value === undefined || value === "<nil>" || value === "" ? null : value);

export function parseAntrea(rawLine: string): ParseOutcome {
  const line = rawLine.trim();
  if (line.length > MAX_LINE) return rejected(`antrea line longer than ${MAX_LINE} characters`);
  if (!LINE_START.test(line)) return rejected("not an Antrea np.log line: it must start with <yyyy/mm/dd> <hh:mm:ss.micro>");
  const merged = MERGED.exec(line);
  const count = merged ? Number(merged[1]) : 1;
  const tokens = (merged ? line.slice(0, merged.index) : line).split(/\s+/);

  const [date, clock] = tokens as [string, string];
  const time = new Date(`${date.replaceAll("/", "-")}T${clock}Z`);
  if (Number.isNaN(time.getTime())) return rejected(`time: "${date} ${clock}" is not a valid date and time`);

  // Antrea 1.12+ puts the rule name and direction before the action; older lines have the action at 4.
  const modern = !ACTIONS.has(tokens[4] ?? "");
  const fields = modern
    ? { table: tokens[2], ref: tokens[3], direction: tokens[5], action: tokens[6], appliedTo: tokens[8], rest: tokens.slice(9) }
    : { table: tokens[2], ref: tokens[3], direction: undefined, action: tokens[4], appliedTo: undefined, rest: tokens.slice(6) };
  const [srcIp, srcPort, dstIp, dstPort, protocolText] = fields.rest;
  if (fields.action === undefined || !ACTIONS.has(fields.action)) {
    return rejected(`action: "${(fields.action ?? "").slice(0, 20)}" is not one of Allow, Drop, Reject, Pass (field 7 of an np.log line)`);
  }
  if (protocolText === undefined) return rejected(`antrea line has ${tokens.length} fields, too few for an np.log line`);
  if (fields.action !== "Drop" && fields.action !== "Reject") return ignored(`antrea action ${fields.action} is not a drop`);

  const direction = readDirection(nil(fields.direction), fields.table ?? "");
  const appliedTo = nil(fields.appliedTo);
  const slash = appliedTo?.indexOf("/") ?? -1;
  const podNamespace = appliedTo && slash > 0 ? appliedTo.slice(0, slash) : null;
  const pod = appliedTo && slash > 0 ? appliedTo.slice(slash + 1) : null;
  const ref = nil(fields.ref) ?? "K8sNetworkPolicy";
  // A bare "K8sNetworkPolicy" is the implicit default deny of an isolated pod: no policy to name.
  const defaultDeny = ref === "K8sNetworkPolicy";
  const policy = defaultDeny ? null : ref.slice(ref.indexOf(":") + 1);
  const local = { namespace: podNamespace, pod, workload: pod ? workloadFromPodName(pod) : null };
  const ingress = direction !== "EGRESS";

  return {
    kind: "drop",
    event: buildDropEvent({
      time,
      verdict: "DROPPED",
      direction,
      srcNamespace: ingress ? null : local.namespace,
      srcPod: ingress ? null : local.pod,
      srcWorkload: ingress ? null : local.workload,
      srcIp: nil(srcIp),
      srcPort: port(srcPort),
      dstNamespace: ingress ? local.namespace : null,
      dstPod: ingress ? local.pod : null,
      dstWorkload: ingress ? local.workload : null,
      dstIp: nil(dstIp),
      dstPort: port(dstPort),
      protocol: protocolName(protocolText),
      reason: defaultDeny ? "POLICY_DENIED" : "POLICY_DENY",
      policies: policy ? [policy] : [],
      count,
      source: "antrea",
      // Each line is one log entry; its microsecond timestamp and fields identify it.
      key: hashedKey("antrea", [line]),
    }),
  };
}

function readDirection(direction: string | null, table: string): TrafficDirection {
  if (direction === "Ingress" || (direction === null && /Ingress/i.test(table))) return "INGRESS";
  if (direction === "Egress" || (direction === null && /Egress/i.test(table))) return "EGRESS";
  return "UNKNOWN";
}

function port(value: string | undefined): number | null {
  const text = nil(value);
  return text !== null && /^\d{1,5}$/.test(text) ? Number(text) : null;
}
