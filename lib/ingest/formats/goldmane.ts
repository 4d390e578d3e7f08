// Calico Open Source flows (3.30+), from Goldmane (`goldmane/proto/api.proto`):
// - the emitter's HTTP body: Go's encoding/json of Flow, {"Key": {...}, "start_time": 1700000000, ...},
//   enums as numbers (action 1 Allow, 2 Deny, 3 Pass; reporter 1 Src, 2 Dst);
// - protojson of Flow or FlowResult ({"id", "flow": {...}}): lowerCamel names, enums as names,
//   64-bit integers as strings;
// - the Whisker backend's `/flows` items: flat, RFC 3339 times, enums as names,
//   "policies": {"enforced": [...], "pending": [...]}.
// Every shape carries enforced and pending (staged) policy hits; see calicoPolicies.ts.
import { hashedKey } from "../keys";
import { ignored, rejected, type ParseOutcome, type TrafficDirection } from "../types";
import { calicoNamespace, calicoWorkload } from "./calico";
import { decideCalicoVerdict, readAction, readPolicyHits } from "./calicoPolicies";
import { buildDropEvent, protocolName, readTime } from "./event";
import { isObject, objectAt, shownValue, stringsAt, type JsonObject } from "./json";

const MAX_POLICIES = 16;
// EndpointType enum: 1 WorkloadEndpoint, 2 HostEndpoint, 3 NetworkSet, 4 Network.
const ENDPOINT_TYPES = [null, "wep", "hep", "ns", "net"] as const;

export function looksLikeGoldmane(record: JsonObject): boolean {
  const flow = objectAt(record, "flow") ?? record;
  if (isObject(flow.Key) || isObject(flow.key)) return true;
  const policies = objectAt(record, "policies");
  return policies !== null && ("enforced" in policies || "pending" in policies);
}

/** A field by its proto name or its protojson lowerCamel name. */
function field(record: JsonObject | null, snake: string): unknown {
  if (record === null) return undefined;
  if (snake in record) return record[snake];
  return record[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

function text(record: JsonObject | null, snake: string): string | null {
  const value = field(record, snake);
  return typeof value === "string" && value !== "" ? value : null;
}

function integer(record: JsonObject | null, snake: string): number | null {
  const value = field(record, snake);
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

export function parseGoldmane(record: JsonObject): ParseOutcome {
  const flow = objectAt(record, "flow") ?? record;
  // Goldmane nests the identifying fields in Key; Whisker flattens them.
  const key = objectAt(flow, "Key") ?? objectAt(flow, "key") ?? flow;
  const start = readTime(field(flow, "start_time"));
  if (start === null) return rejected("start_time: missing or not a time");

  const action = readAction(field(key, "action"));
  if (action === "unknown") return rejected(`action: "${shownValue(field(key, "action"))}" is not Allow, Deny or Pass`);
  const trace = objectAt(key, "policies");
  const enforced = readPolicyHits(field(trace, "enforced_policies") ?? trace?.enforced);
  const pending = readPolicyHits(field(trace, "pending_policies") ?? trace?.pending);
  const decision = decideCalicoVerdict(action, enforced, pending);
  if (decision === null) return ignored(`action ${action} with no staged deny is not a drop`);

  const reporter = field(key, "reporter");
  const direction: TrafficDirection =
    reporter === 2 || reporter === "Dst" || reporter === "dst" ? "INGRESS" : reporter === 1 || reporter === "Src" || reporter === "src" ? "EGRESS" : "UNKNOWN";
  const srcNamespace = calicoNamespace(text(key, "source_namespace"));
  const dstNamespace = calicoNamespace(text(key, "dest_namespace"));
  const srcWorkload = calicoWorkload(text(key, "source_name"), endpointType(field(key, "source_type")));
  const dstWorkload = calicoWorkload(text(key, "dest_name"), endpointType(field(key, "dest_type")));
  const dstPort = integer(key, "dest_port");
  const protocol = protocolName(field(key, "proto") ?? field(key, "protocol"));
  const connections = integer(flow, "num_connections_started");

  return {
    kind: "drop",
    event: buildDropEvent({
      time: start,
      verdict: decision.verdict,
      direction,
      srcNamespace,
      srcWorkload,
      srcLabels: labels(field(flow, "source_labels")),
      dstNamespace,
      dstWorkload,
      dstPort: dstPort !== null && dstPort > 0 ? dstPort : null,
      dstLabels: labels(field(flow, "dest_labels")),
      protocol,
      reason: decision.reason,
      policies: decision.policies.slice(0, MAX_POLICIES),
      count: connections !== null && connections > 0 ? connections : 1,
      source: "calico",
      // Without the reporter: the same flow reported by both ends counts once.
      key: hashedKey("goldmane", [
        start.getTime(), endTimeText(field(flow, "end_time")), decision.verdict, srcNamespace, srcWorkload,
        dstNamespace, dstWorkload, dstPort, protocol,
      ]),
    }),
  };
}

/** end_time as the dedupe key has always held it (a number or text); a list or object, which no Goldmane sends, by its kind. */
function endTimeText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? shownValue(value) : String(value);
}

function endpointType(value: unknown): string | null {
  if (typeof value === "number") return ENDPOINT_TYPES[value] ?? null;
  if (value === "HostEndpoint") return "hep";
  if (value === "NetworkSet") return "ns";
  if (value === "Network") return "net";
  return null;
}

/** Labels as a list, or Whisker's one string ("app=a | tier=b"; older: "app=a,tier=b" or "{...}"). */
function labels(value: unknown): string[] {
  if (Array.isArray(value)) return stringsAt({ value }, "value").slice(0, 64);
  if (typeof value === "string" && value !== "" && value !== "{}") {
    const trimmed = value.replace(/^\{|\}$/g, "");
    // Split, then trim: a split on /\s*\|\s*/ backtracks over every run of spaces (quadratic: a
    // label of 100,000 spaces held the event loop for 14 s).
    return trimmed.split(/[|,]/).map((label) => label.trim()).filter((label) => label !== "").slice(0, 64);
  }
  return [];
}
