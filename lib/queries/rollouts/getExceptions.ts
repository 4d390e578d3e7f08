// Exceptions (acknowledged drop paths) as health and the API read them.
import { readQuery } from "../readPool";

export interface Acknowledgement {
  id: string;
  cluster: string;
  pathId: string;
  actor: string;
  owner: string;
  reason: string;
  createdAt: string;
  /** null: no expiry. */
  expiresAt: string | null;
  /** null: every rollout. */
  rolloutId: string | null;
}

interface Row {
  id: string;
  cluster: string;
  path_id: string;
  actor: string;
  owner: string | null;
  reason: string;
  created_at: Date;
  expires_at: Date | null;
  rollout_id: string | null;
}

const toView = (r: Row): Acknowledgement => ({
  id: r.id,
  cluster: r.cluster,
  pathId: r.path_id,
  actor: r.actor,
  owner: r.owner ?? r.actor,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  rolloutId: r.rollout_id,
});

/** Every exception, or those that apply to one rollout (its own and the global ones), expired ones too. */
export async function listExceptions(rolloutId?: string): Promise<Acknowledgement[]> {
  const { rows } = await readQuery<Row>(
    `SELECT id, cluster, drop_path_id::text AS path_id, actor, owner, reason, created_at, expires_at, rollout_id
     FROM path_acknowledgements ${rolloutId !== undefined ? "WHERE rollout_id IS NULL OR rollout_id = $1" : ""}
     ORDER BY created_at, id`,
    rolloutId !== undefined ? [rolloutId] : [],
  );
  return rows.map(toView);
}

export interface ExceptionsInForce {
  /** By "cluster/pathId": the exception in force (a rollout's own wins over a global one). */
  active: Map<string, Acknowledgement>;
  /** By "cluster/pathId": exceptions that have expired (and have no successor in force). */
  expired: Map<string, Acknowledgement>;
}

/** The exceptions that apply to a rollout at `now`. */
export async function exceptionsInForce(rolloutId: string | null, now: Date): Promise<ExceptionsInForce> {
  const all = rolloutId === null ? (await listExceptions()).filter((e) => e.rolloutId === null) : await listExceptions(rolloutId);
  const active = new Map<string, Acknowledgement>();
  const expired = new Map<string, Acknowledgement>();
  for (const exception of all) {
    const key = `${exception.cluster}/${exception.pathId}`;
    if (exception.expiresAt !== null && new Date(exception.expiresAt).getTime() <= now.getTime()) {
      expired.set(key, exception);
    } else if (!active.has(key) || exception.rolloutId !== null) {
      active.set(key, exception);
    }
  }
  for (const key of active.keys()) expired.delete(key);
  return { active, expired };
}
