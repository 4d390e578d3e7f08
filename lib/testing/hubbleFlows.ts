// Builds Hubble flow records the way `hubble observe -o json` prints them: for tests, the
// ingest benchmark and the demo generator.
import { randomUUID } from "node:crypto";

export interface FlowSpec {
  time: Date;
  cluster?: string;
  node?: string;
  verdict?: "DROPPED" | "AUDIT" | "FORWARDED";
  direction?: "INGRESS" | "EGRESS";
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace: string;
  dstWorkload: string;
  dstPort: number;
  protocol?: "TCP" | "UDP";
  reason?: string;
  policy?: string;
  uuid?: string;
  srcPort?: number;
  /** Defaults to one pod of the source workload. */
  srcPod?: string;
}

// cilium/cilium bpf/lib/common.h drop reasons (hubbleDropReasons.ts has them all).
const REASON_CODES: Record<string, number> = { POLICY_DENIED: 133, POLICY_DENY: 181, AUTH_REQUIRED: 189, CT_MAP_INSERTION_FAILED: 155 };

/**
 * One record. With `policy` on a DROPPED flow this is a Drop event that names its policy, a shape
 * Cilium never prints (names come only on PolicyVerdict events): use hubbleDrop for what Cilium sends.
 */
export function hubbleFlow(spec: FlowSpec): { flow: Record<string, unknown>; node_name: string; time: string } {
  const node = `${spec.cluster ?? "test"}/${spec.node ?? "worker-1"}`;
  const protocol = spec.protocol ?? "TCP";
  const verdict = spec.verdict ?? "DROPPED";
  const time = spec.time.toISOString();
  const direction = spec.direction ?? "INGRESS";
  const deniedBy = spec.policy ? [{ name: spec.policy, namespace: direction === "INGRESS" ? spec.dstNamespace : spec.srcNamespace, kind: "CiliumNetworkPolicy" }] : undefined;
  return {
    flow: {
      time,
      uuid: spec.uuid ?? randomUUID(),
      verdict,
      ...(verdict === "DROPPED" ? { drop_reason: REASON_CODES[spec.reason ?? "POLICY_DENIED"] ?? 0, drop_reason_desc: spec.reason ?? "POLICY_DENIED" } : {}),
      IP: { source: "10.0.1.10", destination: "10.0.2.20", ipVersion: "IPv4" },
      l4: { [protocol]: { source_port: spec.srcPort ?? 40000, destination_port: spec.dstPort } },
      source: {
        namespace: spec.srcNamespace,
        pod_name: spec.srcPod ?? `${spec.srcWorkload}-7c9f8d6b5-x2x9k`,
        labels: [`k8s:app=${spec.srcWorkload}`],
        workloads: [{ name: spec.srcWorkload, kind: "Deployment" }],
      },
      destination: {
        namespace: spec.dstNamespace,
        pod_name: `${spec.dstWorkload}-5d8f7c6b4-q7w3e`,
        labels: [`k8s:app=${spec.dstWorkload}`],
        workloads: [{ name: spec.dstWorkload, kind: "Deployment" }],
      },
      Type: "L3_L4",
      node_name: node,
      event_type: { type: verdict === "AUDIT" ? 5 : 1, sub_type: verdict === "DROPPED" ? (REASON_CODES[spec.reason ?? "POLICY_DENIED"] ?? 0) : 0 },
      traffic_direction: direction,
      ...(deniedBy ? { [direction === "INGRESS" ? "ingress_denied_by" : "egress_denied_by"]: deniedBy } : {}),
      Summary: "TCP Flags: SYN",
    },
    node_name: node,
    time,
  };
}

/**
 * A dropped packet as Cilium reports it: the Drop event (type 1, counted) and, for a policy drop
 * where the endpoint enforces policy, its PolicyVerdict event (type 5) which alone names the denying
 * policy (CorrelatePolicy). Without `policy` (a default deny) only the Drop event.
 */
export function hubbleDrop(spec: FlowSpec & { uuid: string }): ReturnType<typeof hubbleFlow>[] {
  const drop = hubbleFlow({ ...spec, policy: undefined });
  if (!spec.policy || (spec.verdict ?? "DROPPED") !== "DROPPED") return [hubbleFlow(spec)];
  const verdict = hubbleFlow({ ...spec, uuid: `${spec.uuid}-verdict` });
  verdict.flow.event_type = { type: 5 };
  return [drop, verdict];
}

export function toNdjson(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
