import type { DropPathIdentity } from "../../ingest/keys";
import type { TrafficDirection } from "../../ingest/types";
import { readQuery } from "../readPool";
import { isDropPathId } from "./dropPathId";

export interface DropPathDetail extends DropPathIdentity {
  id: string;
  namespace: string;
  direction: TrafficDirection;
  firstSeen: string;
  lastSeen: string;
  policies: string[];
  reasons: string[];
}

/** One drop path's identity and first/last seen; null when unknown. */
export async function getDropPath(cluster: string, id: string): Promise<DropPathDetail | null> {
  // Names that cannot be stored (NUL, STACK.md trap 21) or ids past int64 name no path: 404, not 500.
  if (!isDropPathId(id) || cluster.includes("\u0000") || cluster.length > 253) return null;
  const { rows } = await readQuery<{
    id: string; cluster: string; namespace: string; direction: TrafficDirection; src_namespace: string | null; src_workload: string | null;
    dst_namespace: string | null; dst_workload: string | null; dst_port: number | null; protocol: string; first_seen: Date; last_seen: Date;
    policies: string[] | null; reasons: string[] | null;
  }>(
    `SELECT id::text AS id, cluster, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port, protocol,
            first_seen, last_seen, policies, reasons
     FROM drop_paths WHERE cluster = $1 AND id = $2::bigint`,
    [cluster, id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id, cluster: row.cluster, namespace: row.namespace, direction: row.direction, srcNamespace: row.src_namespace,
    srcWorkload: row.src_workload, dstNamespace: row.dst_namespace, dstWorkload: row.dst_workload, dstPort: row.dst_port,
    protocol: row.protocol, firstSeen: row.first_seen.toISOString(), lastSeen: row.last_seen.toISOString(),
    policies: row.policies ?? [], reasons: row.reasons ?? [],
  };
}
