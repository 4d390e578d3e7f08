// Writes for rollouts: namespace classes, rollouts, stage transitions, acknowledged paths.
// Inputs are zod-validated here so the API and any other caller share one set of rules.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { Prisma } from "../db/generated/client";
import { getPrisma } from "../db/prisma";
import { findRollout } from "../queries/rollouts/getRollout";
import { getRolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { NAMESPACE_PATTERN } from "./scope";
import { ROLLOUT_STAGES, transitionProblem } from "./stages";

export const newId = () => randomBytes(9).toString("base64url");

const className = z.string().trim().min(1).max(100).regex(/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/i, "letters, digits, '-', '_' and '.'");
const namespaceName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a Kubernetes namespace name");
const pattern = z.string().min(1).max(254).regex(NAMESPACE_PATTERN, 'a namespace name or glob ("team-*"), "!" in front to exclude');
const clusterName = z.string().min(1).max(253);
const httpUrl = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");

export const namespaceClassSchema = z.strictObject({
  name: className,
  description: z.string().max(2000).optional(),
  patterns: z.array(pattern).min(1).max(100),
});
export const namespaceClassUpdateSchema = namespaceClassSchema.omit({ name: true }).partial();

const budgetSchema = z.strictObject({
  maxNewPaths: z.number().int().min(0).max(1_000_000).nullable().optional(),
  maxExtraDropsPerMin: z.number().min(0).max(1e9).nullable().optional(),
  maxIncreasePct: z.number().min(0).max(1e6).nullable().optional(),
});

const rolloutFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  owner: z.string().max(200).optional(),
  changeUrl: httpUrl.optional(),
  policyKind: z.string().max(100).optional(),
  policies: z.array(z.string().min(1).max(512)).max(50),
  clusters: z.array(clusterName).max(50),
  budget: budgetSchema,
  baselineMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable().optional(),
  soakMinutes: z.number().int().min(1).max(30 * 24 * 60).nullable().optional(),
  webhookUrl: httpUrl.nullable().optional(),
};

export const rolloutSchema = z.strictObject({
  ...rolloutFields,
  policies: rolloutFields.policies.default([]),
  clusters: rolloutFields.clusters.default([]),
  /** Default budget: no surprise path at all; rates unbounded until set. */
  budget: budgetSchema.default({ maxNewPaths: 0 }),
});
/** A change names only what changes: no defaults here, or a PATCH of the budget would reset the clusters. */
export const rolloutUpdateSchema = z.strictObject(rolloutFields).partial();

export const transitionSchema = z.strictObject({
  stage: z.enum(ROLLOUT_STAGES),
  at: z.iso.datetime({ offset: true }).optional(),
  namespaces: z.array(namespaceName).max(500).default([]),
  classes: z.array(className).max(50).default([]),
  actor: z.string().trim().min(1).max(200).optional(),
  note: z.string().max(2000).optional(),
  /** Required to promote (EXPAND, ENFORCED) while the current stage is BREACHED; recorded with the transition. */
  override: z.string().trim().min(1).max(2000).optional(),
});

/** Stages that widen enforcement: a breached stage may not take them without a recorded override. */
const PROMOTIONS = new Set(["EXPAND", "ENFORCED"]);

export const acknowledgementSchema = z.strictObject({
  cluster: clusterName,
  pathId: z
    .string()
    .regex(/^\d{1,19}$/, "a drop path id (digits)")
    .refine((id) => BigInt(id) <= 9_223_372_036_854_775_807n, "a drop path id (digits)"),
  reason: z.string().trim().min(1).max(2000),
  actor: z.string().trim().min(1).max(200).optional(),
});

/** A write refused for a reason the caller can fix: 404 (no such thing) or 409 (conflict). */
export class RolloutWriteError extends Error {
  constructor(
    readonly status: 404 | 409 | 400,
    message: string,
  ) {
    super(message);
  }
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function createNamespaceClass(input: z.output<typeof namespaceClassSchema>): Promise<void> {
  try {
    await getPrisma().namespaceClass.create({ data: { id: newId(), name: input.name, description: input.description ?? null, patterns: input.patterns } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new RolloutWriteError(409, `a namespace class named "${input.name}" exists`);
    throw error;
  }
}

export async function updateNamespaceClass(name: string, input: z.output<typeof namespaceClassUpdateSchema>): Promise<void> {
  const { count } = await getPrisma().namespaceClass.updateMany({
    where: { name },
    data: { ...(input.patterns ? { patterns: input.patterns } : {}), ...(input.description !== undefined ? { description: input.description } : {}), updatedAt: new Date() },
  });
  if (count === 0) throw new RolloutWriteError(404, `no namespace class "${name}"`);
}

export async function deleteNamespaceClass(name: string): Promise<void> {
  const user = await getPrisma().rolloutTransition.findFirst({ where: { classes: { has: name } }, include: { rollout: { select: { name: true } } } });
  if (user) throw new RolloutWriteError(409, `namespace class "${name}" is in the scope of rollout "${user.rollout.name}"; it stays`);
  const { count } = await getPrisma().namespaceClass.deleteMany({ where: { name } });
  if (count === 0) throw new RolloutWriteError(404, `no namespace class "${name}"`);
}

function rolloutData(input: z.output<typeof rolloutUpdateSchema>) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.owner !== undefined ? { owner: input.owner } : {}),
    ...(input.changeUrl !== undefined ? { changeUrl: input.changeUrl } : {}),
    ...(input.policyKind !== undefined ? { policyKind: input.policyKind } : {}),
    ...(input.policies !== undefined ? { policies: input.policies } : {}),
    ...(input.clusters !== undefined ? { clusters: input.clusters } : {}),
    ...(input.budget?.maxNewPaths !== undefined ? { maxNewPaths: input.budget.maxNewPaths } : {}),
    ...(input.budget?.maxExtraDropsPerMin !== undefined ? { maxExtraDropsPerMin: input.budget.maxExtraDropsPerMin } : {}),
    ...(input.budget?.maxIncreasePct !== undefined ? { maxIncreasePct: input.budget.maxIncreasePct } : {}),
    ...(input.baselineMinutes !== undefined ? { baselineMinutes: input.baselineMinutes } : {}),
    ...(input.soakMinutes !== undefined ? { soakMinutes: input.soakMinutes } : {}),
    ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
  };
}

export async function createRollout(input: z.output<typeof rolloutSchema>): Promise<{ id: string }> {
  const id = newId();
  await getPrisma().rollout.create({ data: { id, ...rolloutData(input), name: input.name } });
  return { id };
}

export async function updateRollout(id: string, input: z.output<typeof rolloutUpdateSchema>): Promise<void> {
  const { count } = await getPrisma().rollout.updateMany({ where: { id }, data: { ...rolloutData(input), updatedAt: new Date() } });
  if (count === 0) throw new RolloutWriteError(404, `no rollout ${id}`);
}

export async function deleteRollout(id: string): Promise<void> {
  const { count } = await getPrisma().rollout.deleteMany({ where: { id } });
  if (count === 0) throw new RolloutWriteError(404, `no rollout ${id}`);
}

/**
 * Refuses (409) to promote a BREACHED stage unless the request carries an `override` reason; says
 * whether the stage was breached, so the reason is recorded with the transition.
 */
async function promotionGuard(rolloutId: string, input: z.output<typeof transitionSchema>, now: Date): Promise<{ breached: boolean }> {
  if (!PROMOTIONS.has(input.stage)) return { breached: false };
  const rollout = await findRollout(rolloutId);
  if (!rollout?.currentStage) return { breached: false };
  const health = await getRolloutHealth(rollout, now);
  if (health.verdict !== "BREACHED") return { breached: false };
  if (!input.override) {
    throw new RolloutWriteError(
      409,
      `${rollout.currentStage.stage} is BREACHED (${health.reasons.join("; ")}): roll back, or promote with "override": "<reason>" (recorded)`,
    );
  }
  return { breached: true };
}

/** Records a stage transition after checking it may follow the last one (409 with the reason if not). */
export async function recordTransition(rolloutId: string, input: z.output<typeof transitionSchema>, defaultActor: string, now: Date): Promise<{ seq: number }> {
  const at = input.at ? new Date(input.at) : now;
  const { breached } = await promotionGuard(rolloutId, input, now);
  return getPrisma().$transaction(async (tx) => {
    // Row lock: two pipelines recording at once get consecutive seqs and each sees the other's stage.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM rollouts WHERE id = ${rolloutId} FOR UPDATE`;
    if (locked.length === 0) throw new RolloutWriteError(404, `no rollout ${rolloutId}`);
    // The scope is resolved now: the classes' patterns are kept with the transition, so editing a
    // class later does not rewrite this stage.
    const known = input.classes.length > 0 ? await tx.namespaceClass.findMany({ where: { name: { in: input.classes } }, select: { name: true, patterns: true } }) : [];
    const missing = input.classes.filter((c) => !known.some((k) => k.name === c));
    if (missing.length > 0) throw new RolloutWriteError(400, `classes: no namespace class ${missing.map((m) => `"${m}"`).join(", ")}`);
    const last = await tx.rolloutTransition.findFirst({ where: { rolloutId }, orderBy: { seq: "desc" } });
    const problem = transitionProblem(last ? { stage: last.stage, at: last.at } : null, { stage: input.stage, at }, now);
    if (problem) throw new RolloutWriteError(409, problem);
    const seq = (last?.seq ?? 0) + 1;
    await tx.rolloutTransition.create({
      data: {
        id: newId(), rolloutId, seq, stage: input.stage, at, namespaces: input.namespaces, classes: input.classes,
        actor: input.actor ?? defaultActor, note: input.note ?? null,
        classPatterns: input.classes.map((name) => ({ name, patterns: known.find((k) => k.name === name)?.patterns ?? [] })),
        override: breached ? (input.override ?? null) : null,
      },
    });
    // A new stage reopens a completed rollout (e.g. rolled back after completion).
    await tx.rollout.update({ where: { id: rolloutId }, data: { updatedAt: now, completedAt: null } });
    return { seq };
  });
}

export async function acknowledgePath(input: z.output<typeof acknowledgementSchema>, defaultActor: string): Promise<void> {
  const path = await getPrisma().dropPath.findUnique({ where: { cluster_id: { cluster: input.cluster, id: BigInt(input.pathId) } }, select: { id: true } });
  if (!path) throw new RolloutWriteError(404, `no drop path ${input.pathId} in cluster ${input.cluster}`);
  const data = { actor: input.actor ?? defaultActor, reason: input.reason, createdAt: new Date() };
  await getPrisma().pathAcknowledgement.upsert({
    where: { cluster_dropPathId: { cluster: input.cluster, dropPathId: BigInt(input.pathId) } },
    create: { cluster: input.cluster, dropPathId: BigInt(input.pathId), ...data },
    update: data,
  });
}

export async function unacknowledgePath(cluster: string, pathId: string): Promise<void> {
  const { count } = await getPrisma().pathAcknowledgement.deleteMany({ where: { cluster, dropPathId: BigInt(pathId) } });
  if (count === 0) throw new RolloutWriteError(404, `drop path ${pathId} in cluster ${cluster} is not acknowledged`);
}
