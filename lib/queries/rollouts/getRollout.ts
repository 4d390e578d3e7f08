// Rollouts as the API and pages show them: budget, transitions, recent webhook deliveries.
import { getPrisma } from "../../db/prisma";
import type { Budget, HealthVerdict } from "../../rollouts/verdict";
import type { NamespaceClassPatterns } from "../../rollouts/scope";
import type { RolloutStage } from "../../rollouts/stages";
import { maskWebhookUrl } from "../../rollouts/webhookTarget";

export interface StageTransition {
  seq: number;
  stage: RolloutStage;
  at: string;
  namespaces: string[];
  classes: string[];
  actor: string;
  note: string | null;
  /** The classes' patterns as they were when the transition was recorded (its scope stays put). */
  classPatterns: NamespaceClassPatterns[];
  /** Why a breached stage was promoted anyway; null when it was not breached. */
  override: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  verdict: HealthVerdict;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface RolloutView {
  id: string;
  name: string;
  description: string | null;
  owner: string | null;
  changeUrl: string | null;
  policyKind: string | null;
  policies: string[];
  clusters: string[];
  budget: Budget;
  baselineMinutes: number | null;
  soakMinutes: number | null;
  completedAt: string | null;
  /** Application error budget: a PromQL error ratio ($namespaces, $window filled in); limits are in `budget`. */
  errorQuery: string | null;
  prometheusUrl: string | null;
  enforcementGraceMinutes: number | null;
  /**
   * The webhook URL masked ("https://hooks.slack.com/…"): the URL is a credential, write-only.
   * Sending this masked value back in a PATCH keeps the stored URL.
   */
  webhookUrl: string | null;
  webhookConfigured: boolean;
  lastVerdict: HealthVerdict | null;
  createdAt: string;
  updatedAt: string;
  transitions: StageTransition[];
  currentStage: StageTransition | null;
}

export interface RolloutDetail extends RolloutView {
  deliveries: WebhookDeliveryView[];
}

type RolloutRow = Awaited<ReturnType<typeof findRows>>[number];

function findRows(where: { id?: { in: string[] } }) {
  return getPrisma().rollout.findMany({
    where,
    include: { stages: { orderBy: { seq: "asc" } } },
    orderBy: { updatedAt: "desc" },
  });
}

/** The JSON column as written by recordTransition; anything else (never expected) reads as no patterns. */
function toClassPatterns(value: unknown): NamespaceClassPatterns[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { name, patterns } = item as { name?: unknown; patterns?: unknown };
    if (typeof name !== "string" || !Array.isArray(patterns)) return [];
    return [{ name, patterns: patterns.filter((p): p is string => typeof p === "string") }];
  });
}

function toView(row: RolloutRow): RolloutView {
  const transitions = row.stages.map((t) => ({
    seq: t.seq,
    stage: t.stage,
    at: t.at.toISOString(),
    namespaces: t.namespaces,
    classes: t.classes,
    actor: t.actor,
    note: t.note,
    classPatterns: toClassPatterns(t.classPatterns),
    override: t.override,
  }));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: row.owner,
    changeUrl: row.changeUrl,
    policyKind: row.policyKind,
    policies: row.policies,
    clusters: row.clusters,
    budget: {
      maxNewPaths: row.maxNewPaths,
      maxExtraDropsPerMin: row.maxExtraDropsPerMin,
      maxIncreasePct: row.maxIncreasePct,
      maxErrorRatio: row.maxErrorRatio,
      maxErrorIncreasePct: row.maxErrorIncreasePct,
    },
    baselineMinutes: row.baselineMinutes,
    soakMinutes: row.soakMinutes,
    completedAt: row.completedAt?.toISOString() ?? null,
    errorQuery: row.errorQuery,
    prometheusUrl: row.prometheusUrl,
    enforcementGraceMinutes: row.enforcementGraceMinutes,
    webhookUrl: row.webhookUrl === null ? null : maskWebhookUrl(row.webhookUrl),
    webhookConfigured: row.webhookUrl !== null,
    lastVerdict: row.lastVerdict,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    transitions,
    currentStage: transitions.at(-1) ?? null,
  };
}

/** Every rollout, or only these. */
export async function listRollouts(ids?: readonly string[]): Promise<RolloutView[]> {
  return (await findRows(ids ? { id: { in: [...ids] } } : {})).map(toView);
}

/** A rollout with its transitions: what health and pre-flight need. */
export async function findRollout(id: string): Promise<RolloutView | null> {
  return (await listRollouts([id]))[0] ?? null;
}

/** A rollout with its transitions and recent webhook deliveries, as its page shows it. */
export async function getRollout(id: string): Promise<RolloutDetail | null> {
  const rollout = await findRollout(id);
  if (!rollout) return null;
  const deliveries = await getPrisma().webhookDelivery.findMany({ where: { rolloutId: id }, orderBy: { createdAt: "desc" }, take: 20 });
  return {
    ...rollout,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      verdict: d.verdict,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    })),
  };
}
