// What a drop path's example events say about each end of the flow: a workload's pods (namespace
// and common labels), a whole namespace (labels unknown), a special entity (the host, a remote
// node), addresses outside the cluster, an address only, or nothing usable.
import { isIP } from "node:net";
import { NO_NAMESPACE } from "../ingest/types";
import { commonPodLabels } from "./labels";
import type { ExampleEvent, PathInput } from "./types";

export type Side = "source" | "destination";

/** Cilium's entities a rule can name (its `fromEntities` / `toEntities` vocabulary, less the broad ones). */
export type Entity = "host" | "remote-node" | "kube-apiserver" | "health" | "init" | "ingress" | "unmanaged";

export type Endpoint =
  /** A workload's pods: its namespace and the labels all its pods carry. */
  | { kind: "pods"; namespace: string; labels: Record<string, string>; invalid: string[] }
  /** A namespace whose pods' labels are unknown (or empty). */
  | { kind: "namespace"; namespace: string; labelsSeen: boolean; invalid: string[] }
  /** A Cilium entity (host, remote node, ...): nodes, not pods. */
  | { kind: "entity"; entity: Entity; ips: string[] }
  /** Outside the cluster (Hubble `reserved:world`, Calico `pub`/`pvt`, network sets): the addresses seen. */
  | { kind: "external"; ips: string[] }
  /** Known only by its address (Antrea's peer, Hubble flows without identity): a pod or not, nobody said. */
  | { kind: "address"; ips: string[] }
  | { kind: "unknown" };

/** At most this many addresses are named in one rule. */
export const MAX_ADDRESSES = 32;

// Cilium's reserved identities (pkg/identity/numericidentity.go): 1 host, 2 world, 3 unmanaged,
// 4 health, 5 init, 6 remote-node, 7 kube-apiserver, 8 ingress, 9 world-ipv4, 10 world-ipv6;
// from 2^24 on, local CIDR identities (addresses outside the cluster).
const RESERVED_IDENTITIES: Record<number, string> = {
  1: "host", 2: "world", 3: "unmanaged", 4: "health", 5: "init", 6: "remote-node", 7: "kube-apiserver", 8: "ingress", 9: "world-ipv4", 10: "world-ipv6",
};
const LOCAL_CIDR_IDENTITY = 1 << 24;
const ENTITIES: ReadonlySet<string> = new Set<Entity>(["host", "remote-node", "kube-apiserver", "health", "init", "ingress", "unmanaged"]);

interface SideFields {
  namespace: string | null;
  workload: string | null;
  ip: string | null;
  identity: number | null;
  labels: string[];
}

function sideOf(event: ExampleEvent, side: Side): SideFields {
  return side === "source"
    ? { namespace: event.srcNamespace, workload: event.srcWorkload, ip: event.srcIp, identity: event.srcIdentity, labels: event.srcLabels }
    : { namespace: event.dstNamespace, workload: event.dstWorkload, ip: event.dstIp, identity: event.dstIdentity, labels: event.dstLabels };
}

const isNamespace = (ns: string | null): ns is string => ns !== null && ns !== "" && ns !== NO_NAMESPACE;

/** Distinct addresses, newest example first, at most MAX_ADDRESSES (the rest are counted). */
function addressesOf(fields: SideFields[]): { ips: string[]; more: number } {
  const ips = [...new Set(fields.map((f) => f.ip).filter((ip): ip is string => ip !== null && isIP(ip) !== 0))];
  return { ips: ips.slice(0, MAX_ADDRESSES), more: Math.max(0, ips.length - MAX_ADDRESSES) };
}

export interface EndpointFacts {
  endpoint: Endpoint;
  /** Addresses seen beyond MAX_ADDRESSES (not named). */
  moreAddresses: number;
}

/** One end of a drop path, from the path's identity and its examples. */
export function describeEndpoint(path: PathInput, side: Side): EndpointFacts {
  const fields = path.examples.map((e) => sideOf(e, side));
  const namespace = side === "source" ? path.srcNamespace : path.dstNamespace;
  const workload = side === "source" ? path.srcWorkload : path.dstWorkload;
  const { ips, more } = addressesOf(fields);
  const pod = commonPodLabels(fields.map((f) => f.labels));

  // Cilium's reserved labels or identities name entities, not pods.
  const reserved = new Set(pod.reserved);
  for (const f of fields) {
    if (f.identity === null) continue;
    const name = RESERVED_IDENTITIES[f.identity];
    if (name) reserved.add(name);
    else if (f.identity >= LOCAL_CIDR_IDENTITY) reserved.add("world");
  }
  if (workload?.startsWith("reserved:")) reserved.add(workload.slice("reserved:".length));
  const world = [...reserved].some((r) => r === "world" || r === "world-ipv4" || r === "world-ipv6");
  if (world) return { endpoint: { kind: "external", ips }, moreAddresses: more };
  const entity = [...reserved].find((r) => ENTITIES.has(r)) as Entity | undefined;
  if (entity) return { endpoint: { kind: "entity", entity, ips }, moreAddresses: more };

  // Calico's aggregated public / private networks, host endpoints and network sets (formats/calico.ts).
  if (workload === "world" || workload === "private network" || workload?.startsWith("networkset:")) {
    return { endpoint: { kind: "external", ips }, moreAddresses: more };
  }
  if (workload?.startsWith("host:")) return { endpoint: { kind: "entity", entity: "host", ips }, moreAddresses: more };

  if (isNamespace(namespace)) {
    if (Object.keys(pod.labels).length > 0) {
      return { endpoint: { kind: "pods", namespace, labels: pod.labels, invalid: pod.invalid }, moreAddresses: more };
    }
    return { endpoint: { kind: "namespace", namespace, labelsSeen: pod.labelledExamples > 0, invalid: pod.invalid }, moreAddresses: more };
  }
  if (ips.length > 0) return { endpoint: { kind: "address", ips }, moreAddresses: more };
  return { endpoint: { kind: "unknown" }, moreAddresses: 0 };
}

/** "web/frontend", "world", "10.0.0.7": how a side is named in messages. */
export function sideName(path: PathInput, side: Side): string {
  const namespace = side === "source" ? path.srcNamespace : path.dstNamespace;
  const workload = side === "source" ? path.srcWorkload : path.dstWorkload;
  if (isNamespace(namespace)) return `${namespace}/${workload ?? "?"}`;
  if (workload) return workload;
  const ip = path.examples.map((e) => (side === "source" ? e.srcIp : e.dstIp)).find((v) => v);
  return ip ?? "?";
}

/** "web/frontend -> auth/keycloak:8443/TCP". */
export function describeFlow(path: PathInput): string {
  const port = path.dstPort !== null ? `:${path.dstPort}` : "";
  return `${sideName(path, "source")} -> ${sideName(path, "destination")}${port}/${path.protocol}`;
}
