// Writes for rollouts: namespace classes, rollouts, stage transitions (exceptions: exceptions.ts).
// Inputs are zod-validated here so the API and any other caller share one set of rules.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { Prisma } from "../db/generated/client";
import { getPrisma } from "../db/prisma";
import { findRollout } from "../queries/rollouts/getRollout";
import { getRolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { rolloutClustersProblem } from "../tokens/clusterBinding";
import { NAMESPACE_PATTERN, patternProblem } from "./scope";
import { prometheusUrlProblem } from "./errorBudget";
import { ROLLOUT_STAGES, transitionProblem } from "./stages";
import { isMaskedWebhookUrl, maskWebhookUrl, webhookUrlProblem } from "./webhookTarget";

export const newId = () => randomBytes(9).toString("base64url");

const className = z.string().trim().min(1).max(100).regex(/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/i, "letters, digits, '-', '_' and '.'");
const namespaceName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a Kubernetes namespace name");
const pattern = z
  .string()
  .min(1)
  .max(254)
  .regex(NAMESPACE_PATTERN, 'a namespace name or glob ("team-*"), "!" in front to exclude')
  .superRefine((value, ctx) => {
    const problem = patternProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
export const clusterName = z.string().min(1).max(253);
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
  /** Error ratio 0..1 of the applications in scope (needs `errorQuery`). */
  maxErrorRatio: z.number().min(0).max(1).nullable().optional(),
  maxErrorIncreasePct: z.number().min(0).max(1e6).nullable().optional(),
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
  /** PromQL giving the applications' error ratio; `$namespaces` and `$window` are filled in. */
  errorQuery: z.string().trim().min(1).max(4000).nullable().optional(),
  prometheusUrl: httpUrl
    .superRefine((value, ctx) => {
      const problem = prometheusUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional(),
  enforcementGraceMinutes: z.number().int().min(1).max(24 * 60).nullable().optional(),
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


/** A write refused for a reason the caller can fix: 400, 403 (another cluster's), 404 (no such thing) or 409 (conflict). */
export class RolloutWriteError extends Error {
  constructor(
    readonly status: 404 | 409 | 400 | 403,
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
    ...(input.budget?.maxErrorRatio !== undefined ? { maxErrorRatio: input.budget.maxErrorRatio } : {}),
    ...(input.budget?.maxErrorIncreasePct !== undefined ? { maxErrorIncreasePct: input.budget.maxErrorIncreasePct } : {}),
    ...(input.errorQuery !== undefined ? { errorQuery: input.errorQuery } : {}),
    ...(input.prometheusUrl !== undefined ? { prometheusUrl: input.prometheusUrl } : {}),
    ...(input.enforcementGraceMinutes !== undefined ? { enforcementGraceMinutes: input.enforcementGraceMinutes } : {}),
    ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
  };
}

/** Who is writing: a token bound to a cluster (`--cluster`) may change only rollouts on that cluster alone. */
export interface WriteBinding {
  /** The writing token's cluster; null (or omitted): bound to none. */
  boundCluster?: string | null;
}

function refuseOtherClusters(binding: WriteBinding, clusters: readonly string[]): void {
  const problem = rolloutClustersProblem(binding.boundCluster ?? null, clusters);
  if (problem) throw new RolloutWriteError(403, problem);
}

/**
 * A webhook URL about to be stored: its host must resolve to public addresses only (or allowed
 * ones, DROPBOARD_WEBHOOK_ALLOW). The masked URL reads show means "keep the stored one"
 * (undefined), and only where one is stored.
 */
async function webhookUrlToStore(value: string | null | undefined, stored: string | null): Promise<string | null | undefined> {
  if (value === undefined || value === null) return value;
  if (isMaskedWebhookUrl(value)) {
    if (stored !== null && value === maskWebhookUrl(stored)) return undefined;
    throw new RolloutWriteError(400, "webhookUrl: this is a masked URL (webhook URLs are never shown whole); send the full URL to change it");
  }
  const problem = await webhookUrlProblem(value);
  if (problem) throw new RolloutWriteError(400, `webhookUrl: ${problem}`);
  return value;
}

export async function createRollout(input: z.output<typeof rolloutSchema>, binding: WriteBinding = {}): Promise<{ id: string }> {
  refuseOtherClusters(binding, input.clusters);
  const webhookUrl = await webhookUrlToStore(input.webhookUrl, null);
  const id = newId();
  // Written with the process clock, as every later write's updatedAt is (never the database's or a caller's clock).
  const writtenAt = new Date();
  await getPrisma().rollout.create({ data: { id, ...rolloutData({ ...input, webhookUrl }), name: input.name, createdAt: writtenAt, updatedAt: writtenAt } });
  return { id };
}

/** Locks the rollout's row for this transaction: 404 if there is none, 403 when the writer's cluster binding does not cover it. */
async function lockRollout(tx: Prisma.TransactionClient, id: string, binding: WriteBinding): Promise<{ webhookUrl: string | null }> {
  const [row] = await tx.$queryRaw<{ clusters: string[]; webhook_url: string | null }[]>`SELECT clusters, webhook_url FROM rollouts WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new RolloutWriteError(404, `no rollout ${id}`);
  refuseOtherClusters(binding, row.clusters);
  return { webhookUrl: row.webhook_url };
}

export async function updateRollout(id: string, input: z.output<typeof rolloutUpdateSchema>, binding: WriteBinding = {}): Promise<void> {
  if (input.clusters !== undefined) refuseOtherClusters(binding, input.clusters);
  // Resolving a webhook's host may take a while: done before the row is locked, checked against the stored URL after.
  const before = await getPrisma().rollout.findUnique({ where: { id }, select: { webhookUrl: true } });
  if (!before) throw new RolloutWriteError(404, `no rollout ${id}`);
  const webhookUrl = await webhookUrlToStore(input.webhookUrl, before.webhookUrl);
  await getPrisma().$transaction(async (tx) => {
    const locked = await lockRollout(tx, id, binding);
    if (webhookUrl === undefined && input.webhookUrl !== undefined && locked.webhookUrl !== before.webhookUrl) {
      throw new RolloutWriteError(409, "webhookUrl: the webhook URL changed meanwhile; reload and retry");
    }
    await tx.rollout.update({ where: { id }, data: { ...rolloutData({ ...input, webhookUrl }), updatedAt: new Date() } });
  });
}

export async function deleteRollout(id: string, binding: WriteBinding = {}): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    await lockRollout(tx, id, binding);
    await tx.rollout.delete({ where: { id } });
  });
}

/**
 * Refuses (409) to promote a BREACHED or NOT_ENFORCED stage unless the request carries an `override`
 * reason; says whether the stage failed its gate, so the reason is recorded with the transition.
 */
async function promotionGuard(rolloutId: string, input: z.output<typeof transitionSchema>, now: Date): Promise<{ breached: boolean }> {
  if (!PROMOTIONS.has(input.stage)) return { breached: false };
  const rollout = await findRollout(rolloutId);
  if (!rollout?.currentStage) return { breached: false };
  const health = await getRolloutHealth(rollout, now);
  // Both fail a gate: a breach, and a stage whose policy is not enforced (still in audit mode).
  if (health.verdict !== "BREACHED" && health.verdict !== "NOT_ENFORCED") return { breached: false };
  if (!input.override) {
    throw new RolloutWriteError(
      409,
      `${rollout.currentStage.stage} is ${health.verdict} (${health.reasons.join("; ")}): roll back, or promote with "override": "<reason>" (recorded)`,
    );
  }
  return { breached: true };
}

/** Records a stage transition after checking it may follow the last one (409 with the reason if not). */
export async function recordTransition(
  rolloutId: string,
  input: z.output<typeof transitionSchema>,
  defaultActor: string,
  now: Date,
  binding: WriteBinding = {},
): Promise<{ seq: number }> {
  const at = input.at ? new Date(input.at) : now;
  const { breached } = await promotionGuard(rolloutId, input, now);
  return getPrisma().$transaction(async (tx) => {
    // Row lock: two pipelines recording at once get consecutive seqs and each sees the other's stage.
    await lockRollout(tx, rolloutId, binding);
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
    // A new stage reopens a completed rollout (e.g. rolled back after completion). updatedAt is when
    // this write happened, on the clock createdAt came from: `now` is the caller's clock (the demo's,
    // a test's), which may be earlier than the rollout's creation.
    await tx.rollout.update({ where: { id: rolloutId }, data: { updatedAt: new Date(), completedAt: null } });
    return { seq };
  });
}
