// Rollouts as the API and pages show them: budget, transitions, recent webhook deliveries.
import { getPool } from "../../db/pool";
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

/** A rollout as its read returns it: columns by their SQL names, its transitions in seq order. */
interface RolloutRow {
  id: string;
  name: string;
  description: string | null;
  owner: string | null;
  change_url: string | null;
  policy_kind: string | null;
  policies: string[];
  clusters: string[];
  max_new_paths: number | null;
  max_extra_drops_per_min: number | null;
  max_increase_pct: number | null;
  max_error_ratio: number | null;
  max_error_increase_pct: number | null;
  baseline_minutes: number | null;
  soak_minutes: number | null;
  completed_at: Date | null;
  error_query: string | null;
  prometheus_url: string | null;
  enforcement_grace_minutes: number | null;
  webhook_url: string | null;
  last_verdict: HealthVerdict | null;
  created_at: Date;
  updated_at: Date;
  stages: {
    seq: number;
    stage: RolloutStage;
    /** Epoch milliseconds: JSON has no timestamps, and PostgreSQL's text form is not ISO 8601's. */
    atMs: number;
    namespaces: string[];
    classes: string[];
    actor: string;
    note: string | null;
    classPatterns: unknown;
    override: string | null;
  }[];
}

// Raw pg, not Prisma: still-audited reads every rollout on each overview and namespace poll, and
// health one per poll; through Prisma's client the list cost ~3 ms of CPU, this ~0.6 ms (in process).
// One statement, on the pool Prisma used: its transitions are aggregated beside each rollout.
// Array columns are nullable; Prisma read a NULL one as [], and so does this (coalesce).
const ROLLOUTS_SQL = `
  SELECT r.id, r.name, r.description, r.owner, r.change_url, r.policy_kind,
         coalesce(r.policies, '{}') AS policies, coalesce(r.clusters, '{}') AS clusters,
         r.max_new_paths, r.max_extra_drops_per_min, r.max_increase_pct, r.max_error_ratio, r.max_error_increase_pct,
         r.baseline_minutes, r.soak_minutes, r.completed_at, r.error_query, r.prometheus_url, r.enforcement_grace_minutes,
         r.webhook_url, r.last_verdict::text AS last_verdict, r.created_at, r.updated_at,
         coalesce((SELECT json_agg(json_build_object(
                    'seq', t.seq, 'stage', t.stage, 'atMs', (extract(epoch FROM t.at) * 1000)::float8,
                    'namespaces', coalesce(t.namespaces, '{}'), 'classes', coalesce(t.classes, '{}'), 'actor', t.actor, 'note', t.note,
                    'classPatterns', t.class_patterns, 'override', t.override) ORDER BY t.seq)
                   FROM rollout_transitions t WHERE t.rollout_id = r.id), '[]'::json) AS stages
  FROM rollouts r`;

async function findRows(ids?: readonly string[]): Promise<RolloutRow[]> {
  const where = ids ? " WHERE r.id = ANY($1::text[])" : "";
  const { rows } = await getPool().query<RolloutRow>(`${ROLLOUTS_SQL}${where} ORDER BY r.updated_at DESC, r.id`, ids ? [[...ids]] : []);
  return rows;
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
    at: new Date(t.atMs).toISOString(),
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
    changeUrl: row.change_url,
    policyKind: row.policy_kind,
    policies: row.policies,
    clusters: row.clusters,
    budget: {
      maxNewPaths: row.max_new_paths,
      maxExtraDropsPerMin: row.max_extra_drops_per_min,
      maxIncreasePct: row.max_increase_pct,
      maxErrorRatio: row.max_error_ratio,
      maxErrorIncreasePct: row.max_error_increase_pct,
    },
    baselineMinutes: row.baseline_minutes,
    soakMinutes: row.soak_minutes,
    completedAt: row.completed_at?.toISOString() ?? null,
    errorQuery: row.error_query,
    prometheusUrl: row.prometheus_url,
    enforcementGraceMinutes: row.enforcement_grace_minutes,
    webhookUrl: row.webhook_url === null ? null : maskWebhookUrl(row.webhook_url),
    webhookConfigured: row.webhook_url !== null,
    lastVerdict: row.last_verdict,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    transitions,
    currentStage: transitions.at(-1) ?? null,
  };
}

/** Every rollout, or only these. */
export async function listRollouts(ids?: readonly string[]): Promise<RolloutView[]> {
  return (await findRows(ids)).map(toView);
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
