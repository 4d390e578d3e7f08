// Exceptions: drop paths marked as expected noise (scanners, probes, known-bad clients) or as a
// known cost of a rollout, so they leave the budget. Each has an owner, a reason, an optional expiry
// (after which the path is back in the budget, and health says so) and a scope: one rollout, or
// every rollout. One exception per path and scope: marking again replaces it.
import { z } from "zod";
import { getPrisma } from "../db/prisma";
import { clusterName, newId, RolloutWriteError } from "./manage";

// One check, so BigInt never sees what the digits test refused (zod runs every refinement).
const pathId = z.string().refine((id) => /^\d{1,19}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n, "a drop path id (digits, at most 2^63 - 1)");

export const acknowledgementSchema = z.strictObject({
  cluster: clusterName,
  pathId,
  reason: z.string().trim().min(1).max(2000),
  actor: z.string().trim().min(1).max(200).optional(),
  /** Who answers for it; defaults to the actor. */
  owner: z.string().trim().min(1).max(200).optional(),
  /** After this the path counts again; omitted or null: no expiry. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Only this rollout; omitted or null: every rollout. */
  rolloutId: z.string().min(1).max(32).nullable().optional(),
});

export const unacknowledgeSchema = z.strictObject({
  cluster: clusterName,
  pathId,
  rolloutId: z.string().min(1).max(32).optional(),
});

export async function acknowledgePath(input: z.output<typeof acknowledgementSchema>, defaultActor: string, now: Date): Promise<{ id: string }> {
  const dropPathId = BigInt(input.pathId);
  const path = await getPrisma().dropPath.findUnique({ where: { cluster_id: { cluster: input.cluster, id: dropPathId } }, select: { id: true } });
  if (!path) throw new RolloutWriteError(404, `no drop path ${input.pathId} in cluster ${input.cluster}`);
  const rolloutId = input.rolloutId ?? null;
  if (rolloutId !== null && !(await getPrisma().rollout.findUnique({ where: { id: rolloutId }, select: { id: true } }))) {
    throw new RolloutWriteError(404, `rolloutId: no rollout ${rolloutId}`);
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new RolloutWriteError(400, `expiresAt: ${input.expiresAt} is not in the future`);
  const actor = input.actor ?? defaultActor;
  const data = { actor, owner: input.owner ?? actor, reason: input.reason, expiresAt, createdAt: now };
  return getPrisma().$transaction(async (tx) => {
    const existing = await tx.pathAcknowledgement.findFirst({ where: { cluster: input.cluster, dropPathId, rolloutId }, select: { id: true } });
    if (existing) {
      await tx.pathAcknowledgement.update({ where: { id: existing.id }, data });
      return { id: existing.id };
    }
    const id = newId();
    await tx.pathAcknowledgement.create({ data: { id, cluster: input.cluster, dropPathId, rolloutId, ...data } });
    return { id };
  });
}

/** Removes the path's exception for that rollout (or its global one when no rollout is named). */
export async function unacknowledgePath(input: z.output<typeof unacknowledgeSchema>): Promise<void> {
  const { count } = await getPrisma().pathAcknowledgement.deleteMany({
    where: { cluster: input.cluster, dropPathId: BigInt(input.pathId), rolloutId: input.rolloutId ?? null },
  });
  const scope = input.rolloutId ? ` for rollout ${input.rolloutId}` : "";
  if (count === 0) throw new RolloutWriteError(404, `drop path ${input.pathId} in cluster ${input.cluster} has no exception${scope}`);
}
