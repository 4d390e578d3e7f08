// When each cluster's collector last checked in (lib/ingest/checkins.ts writes it).
import { readQuery } from "../readPool";

export interface ClusterCheckinRow {
  cluster: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastHeartbeatAt: Date | null;
}

/** Check-ins of these clusters (all when omitted). */
export async function readCheckins(clusters?: readonly string[]): Promise<ClusterCheckinRow[]> {
  const { rows } = await readQuery<{ cluster: string; first_seen_at: Date; last_seen_at: Date; last_heartbeat_at: Date | null }>(
    `SELECT cluster, first_seen_at, last_seen_at, last_heartbeat_at FROM cluster_checkins
     ${clusters ? "WHERE cluster = ANY($1::text[])" : ""} ORDER BY cluster`,
    clusters ? [clusters] : [],
  );
  return rows.map((r) => ({ cluster: r.cluster, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, lastHeartbeatAt: r.last_heartbeat_at }));
}
