// Dropboard's own JSON shape for a drop (README, "Native format"): the normalised event's
// fields by name, for sources we do not parse yet.
import { z } from "zod";
import { hashedKey } from "../keys";
import { FIELD_LIMITS as L } from "../limits";
import { policyNamespace, rejected, type ParseOutcome, TRAFFIC_DIRECTIONS, VERDICTS } from "../types";
import type { JsonObject } from "./json";

const name = z.string().min(1).max(L.name);
const port = z.number().int().min(0).max(65535);
const identity = z.number().int().min(0).max(L.maxIdentity);
const labels = z.array(z.string().max(L.label)).max(L.labels);

export const nativeDropSchema = z.strictObject({
  format: z.literal("native").optional(),
  time: z.iso.datetime({ offset: true }),
  cluster: name.optional(),
  node: name.optional(),
  verdict: z.enum(VERDICTS),
  direction: z.enum(TRAFFIC_DIRECTIONS).default("UNKNOWN"),
  namespace: name.optional(),
  srcNamespace: name.optional(),
  srcPod: name.optional(),
  srcWorkload: z.string().min(1).max(L.workload).optional(),
  srcIp: z.string().min(1).max(L.ip).optional(),
  srcPort: port.optional(),
  srcIdentity: identity.optional(),
  srcLabels: labels.default([]),
  dstNamespace: name.optional(),
  dstPod: name.optional(),
  dstWorkload: z.string().min(1).max(L.workload).optional(),
  dstIp: z.string().min(1).max(L.ip).optional(),
  dstPort: port.optional(),
  dstIdentity: identity.optional(),
  dstLabels: labels.default([]),
  protocol: z.string().min(1).max(L.protocol).default("UNKNOWN"),
  icmpType: z.number().int().min(0).max(255).optional(),
  reason: z.string().min(1).max(L.reason).default("POLICY_DENIED"),
  policies: z.array(z.string().min(1).max(L.policy)).max(L.policies).default([]),
  count: z.number().int().min(1).max(L.maxCount).default(1),
  sampleRate: z.number().int().min(1).max(L.maxSampleRate).default(1),
  key: z.string().min(1).max(L.key - "native:".length).optional(),
});

export type NativeDrop = z.input<typeof nativeDropSchema>;

/** Native records say so (`"format": "native"`) or use the normalised field names. */
export function looksLikeNative(record: JsonObject): boolean {
  if (record.format === "native") return true;
  return typeof record.verdict === "string" && ("namespace" in record || "srcNamespace" in record || "dstNamespace" in record);
}

/**
 * A record without its own `key` is identified by every field it gives: two aggregated records that
 * differ only in workloads, labels, identities or policies are two drops. Lists count as sets (their
 * order is not a difference), and the time by its instant (".000Z" and "Z" are one time). This key
 * replaced one that left workloads, identities, labels, policies and the sample rate out; records
 * stored under that key are not recognised by it, so a re-send of a record stored before the change
 * counts again (within the raw retention window, DROPBOARD_RAW_RETENTION_DAYS).
 */
function nativeKey(d: z.output<typeof nativeDropSchema>): string {
  const list = (values: readonly string[]) => JSON.stringify([...values].sort());
  return hashedKey("native", [
    new Date(d.time).getTime(), d.cluster, d.node, d.verdict, d.direction, d.namespace,
    d.srcNamespace, d.srcPod, d.srcWorkload, d.srcIp, d.srcPort, d.srcIdentity, list(d.srcLabels),
    d.dstNamespace, d.dstPod, d.dstWorkload, d.dstIp, d.dstPort, d.dstIdentity, list(d.dstLabels),
    d.protocol, d.icmpType, d.reason, list(d.policies), d.count, d.sampleRate,
  ]);
}

export function parseNative(record: JsonObject): ParseOutcome {
  const parsed = nativeDropSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "record";
    return rejected(`${field}: ${issue?.message ?? "invalid"}`);
  }
  const d = parsed.data;
  const srcNamespace = d.srcNamespace ?? null;
  const dstNamespace = d.dstNamespace ?? null;
  return {
    kind: "drop",
    event: {
      time: new Date(d.time),
      cluster: d.cluster ?? null,
      node: d.node ?? null,
      verdict: d.verdict,
      direction: d.direction,
      namespace: d.namespace ?? policyNamespace(d.direction, srcNamespace, dstNamespace),
      srcNamespace,
      srcPod: d.srcPod ?? null,
      srcWorkload: d.srcWorkload ?? null,
      srcIp: d.srcIp ?? null,
      srcPort: d.srcPort ?? null,
      srcIdentity: d.srcIdentity ?? null,
      srcLabels: d.srcLabels,
      dstNamespace,
      dstPod: d.dstPod ?? null,
      dstWorkload: d.dstWorkload ?? null,
      dstIp: d.dstIp ?? null,
      dstPort: d.dstPort ?? null,
      dstIdentity: d.dstIdentity ?? null,
      dstLabels: d.dstLabels,
      protocol: d.protocol,
      icmpType: d.icmpType ?? null,
      reason: d.reason,
      policies: d.policies,
      count: d.count,
      sampleRate: d.sampleRate,
      source: "native",
      key: d.key ? `native:${d.key}` : nativeKey(d),
    },
  };
}
