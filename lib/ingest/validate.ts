// The last check before storage: every parsed event, whatever its format, within FIELD_LIMITS.
// Hand-written rather than zod because it runs once per ingested event on the hot path.
import { FIELD_LIMITS as L } from "./limits";
import type { DropEvent } from "./types";

// `namespace` is derived from the src/dst namespaces: report those first, as the record names them.
const NAME_FIELDS = ["cluster", "node", "srcNamespace", "srcPod", "dstNamespace", "dstPod", "namespace"] as const;
const WORKLOAD_FIELDS = ["srcWorkload", "dstWorkload"] as const;
const IP_FIELDS = ["srcIp", "dstIp"] as const;
const PORT_FIELDS = ["srcPort", "dstPort"] as const;
const IDENTITY_FIELDS = ["srcIdentity", "dstIdentity"] as const;
const LABEL_FIELDS = ["srcLabels", "dstLabels"] as const;

function tooLong(field: string, value: string | null, max: number): string | null {
  return value !== null && value.length > max ? `${field}: longer than ${max} characters` : null;
}

function notInRange(field: string, value: number | null, min: number, max: number): string | null {
  if (value === null) return null;
  return Number.isInteger(value) && value >= min && value <= max ? null : `${field}: ${value} is not an integer in ${min}..${max}`;
}

/** The first field that breaks a bound, as "field: what is wrong"; null when the event is fine. */
export function findOutOfBounds(event: DropEvent): string | null {
  const nul = findNulByte(event);
  if (nul) return `${nul}: contains a NUL byte`;
  for (const field of NAME_FIELDS) {
    const problem = tooLong(field, event[field], L.name);
    if (problem) return problem;
  }
  if (event.namespace === "") return "namespace: empty";
  for (const field of WORKLOAD_FIELDS) {
    const problem = tooLong(field, event[field], L.workload);
    if (problem) return problem;
  }
  for (const field of IP_FIELDS) {
    const problem = tooLong(field, event[field], L.ip);
    if (problem) return problem;
  }
  for (const field of PORT_FIELDS) {
    const problem = notInRange(field, event[field], 0, 65535);
    if (problem) return problem;
  }
  for (const field of IDENTITY_FIELDS) {
    const problem = notInRange(field, event[field], 0, L.maxIdentity);
    if (problem) return problem;
  }
  for (const field of LABEL_FIELDS) {
    const labels = event[field];
    if (labels.length > L.labels) return `${field}: more than ${L.labels} labels`;
    if (labels.some((label) => label.length > L.label)) return `${field}: a label is longer than ${L.label} characters`;
  }
  if (event.policies.length > L.policies) return `policies: more than ${L.policies}`;
  if (event.policies.some((policy) => policy.length > L.policy)) return `policies: a name is longer than ${L.policy} characters`;
  return (
    notInRange("icmpType", event.icmpType, 0, 255) ??
    notInRange("count", event.count, 1, L.maxCount) ??
    notInRange("sampleRate", event.sampleRate, 1, L.maxSampleRate) ??
    tooLong("reason", event.reason, L.reason) ??
    tooLong("protocol", event.protocol, L.protocol) ??
    tooLong("key", event.key, L.key)
  );
}

// PostgreSQL text cannot hold U+0000; one such value would fail the whole batch's statement.
function findNulByte(event: DropEvent): string | null {
  if (!mayHoldNul(event)) return null;
  for (const [field, value] of Object.entries(event)) {
    if (typeof value === "string" && value.includes("\u0000")) return field;
    if (Array.isArray(value) && value.some((item) => typeof item === "string" && item.includes("\u0000"))) return field;
  }
  return null;
}

/** The per-event fast pass (walking Object.entries allocates): false when no field holds U+0000. */
function mayHoldNul(e: DropEvent): boolean {
  // Field by field: joining them first would copy every one of them, per event.
  return (
    holdsNul(e.cluster) || holdsNul(e.node) || holdsNul(e.namespace) || holdsNul(e.srcNamespace) || holdsNul(e.srcPod) || holdsNul(e.srcWorkload) || holdsNul(e.srcIp) ||
    holdsNul(e.dstNamespace) || holdsNul(e.dstPod) || holdsNul(e.dstWorkload) || holdsNul(e.dstIp) || holdsNul(e.protocol) || holdsNul(e.reason) || holdsNul(e.key) ||
    e.srcLabels.some(hasNul) || e.dstLabels.some(hasNul) || e.policies.some(hasNul)
  );
}

const hasNul = (text: string) => text.includes("\u0000");
const holdsNul = (text: string | null) => typeof text === "string" && text.includes("\u0000");
