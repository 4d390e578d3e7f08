// The normalised drop event every source format is parsed into (DESIGN.md, "The drop event").

export const VERDICTS = ["DROPPED", "AUDIT"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const TRAFFIC_DIRECTIONS = ["INGRESS", "EGRESS", "UNKNOWN"] as const;
export type TrafficDirection = (typeof TRAFFIC_DIRECTIONS)[number];

export const DROP_SOURCES = ["hubble", "calico", "antrea", "netobserv", "native"] as const;
export type DropSource = (typeof DROP_SOURCES)[number];

/** Shown where a drop has no namespace (e.g. traffic from outside the cluster). Not a valid k8s name, so it never collides. */
export const NO_NAMESPACE = "(none)";

export interface DropEvent {
  time: Date;
  /** null: the record names no cluster; the ingest token's cluster (or `default`) applies. */
  cluster: string | null;
  node: string | null;
  verdict: Verdict;
  direction: TrafficDirection;
  /** Whose policy dropped it: ingress -> destination's namespace, egress -> source's. */
  namespace: string;
  srcNamespace: string | null;
  srcPod: string | null;
  srcWorkload: string | null;
  srcIp: string | null;
  srcPort: number | null;
  srcIdentity: number | null;
  srcLabels: string[];
  dstNamespace: string | null;
  dstPod: string | null;
  dstWorkload: string | null;
  dstIp: string | null;
  dstPort: number | null;
  dstIdentity: number | null;
  dstLabels: string[];
  protocol: string;
  icmpType: number | null;
  reason: string;
  policies: string[];
  /** Flows or packets this record stands for (1 for a Hubble flow), already scaled by sampling. */
  count: number;
  /** 1 when every drop was seen; N when the source sampled 1 in N (netobserv) and `count` is an estimate. */
  sampleRate: number;
  source: DropSource;
  /** Dedupe key: the source's own id, or a hash of the record's identifying fields. */
  key: string;
}

/** What a format parser makes of one raw record. Parsers never throw on bad input. */
export type ParseOutcome =
  | { kind: "drop"; event: DropEvent }
  /** Not a drop (e.g. a FORWARDED flow): counted, not stored, not an error. `reason` is low-cardinality
   * (no per-record values): the ingest reply tallies ignored records by it (`ignoredReasons`). */
  | { kind: "ignored"; reason: string }
  /**
   * A second report of a drop that another record counts (Hubble's PolicyVerdict event for a packet
   * whose Drop event is counted): it counts nothing, but what it knows (the denying policies, an
   * example event) is added to the same drop path. Tallied in `ignoredReasons` under `reason`.
   */
  | { kind: "annotation"; event: DropEvent; reason: string }
  | { kind: "rejected"; reason: string };

export function rejected(reason: string): ParseOutcome {
  return { kind: "rejected", reason };
}

export function ignored(reason: string): ParseOutcome {
  return { kind: "ignored", reason };
}

export function annotation(event: DropEvent, reason: string): ParseOutcome {
  return { kind: "annotation", event, reason };
}

/** The namespace whose policy dropped a flow. */
export function policyNamespace(
  direction: TrafficDirection,
  srcNamespace: string | null,
  dstNamespace: string | null,
): string {
  if (direction === "EGRESS") return srcNamespace ?? dstNamespace ?? NO_NAMESPACE;
  return dstNamespace ?? srcNamespace ?? NO_NAMESPACE;
}
