// Replies of rollouts: namespace classes, rollouts and their stages, health, pre-flight, error
// ratios, chart markers, acknowledgements and the allow rules a fix suggests.
import { z } from "zod";
import { DropPath } from "./dropReplies";
import { nullableTime, stage, time, verdict, window } from "./replyScalars";

export const NamespaceClass = z
  .looseObject({ name: z.string(), description: z.string().nullable(), patterns: z.array(z.string()), createdAt: time, updatedAt: time })
  .meta({ id: "NamespaceClass" });
export const NamespaceClasses = z.looseObject({ classes: z.array(NamespaceClass) }).meta({ id: "NamespaceClasses" });

export const Transition = z
  .looseObject({
    seq: z.number().int(),
    stage,
    at: time,
    namespaces: z.array(z.string()),
    classes: z.array(z.string()),
    actor: z.string(),
    note: z.string().nullable(),
    classPatterns: z.array(z.looseObject({ name: z.string(), patterns: z.array(z.string()) })),
    override: z.string().nullable(),
  })
  .meta({ id: "Transition" });

const budget = z.looseObject({
  maxNewPaths: z.number().nullable(),
  maxExtraDropsPerMin: z.number().nullable(),
  maxIncreasePct: z.number().nullable(),
});

export const Rollout = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    owner: z.string().nullable(),
    changeUrl: z.string().nullable(),
    policyKind: z.string().nullable(),
    policies: z.array(z.string()),
    clusters: z.array(z.string()),
    budget,
    baselineMinutes: z.number().int().nullable(),
    soakMinutes: z.number().int().nullable(),
    completedAt: nullableTime,
    errorQuery: z.string().nullable(),
    prometheusUrl: z.string().nullable(),
    enforcementGraceMinutes: z.number().int().nullable(),
    webhookUrl: z.string().nullable().describe("Masked: the URL is write-only."),
    webhookConfigured: z.boolean(),
    lastVerdict: verdict.nullable(),
    createdAt: time,
    updatedAt: time,
    transitions: z.array(Transition),
    currentStage: Transition.nullable(),
  })
  .meta({ id: "Rollout" });

export const RolloutDetail = Rollout.extend({
  deliveries: z.array(
    z.looseObject({
      id: z.string(),
      verdict,
      attempts: z.number().int(),
      lastStatus: z.number().int().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: nullableTime,
      deliveredAt: nullableTime,
      createdAt: time,
    }),
  ),
}).meta({ id: "RolloutDetail" });

export const Rollouts = z.looseObject({ rollouts: z.array(Rollout) }).meta({ id: "Rollouts" });

const stagePath = DropPath.extend({ attribution: z.string(), attributionText: z.string(), acknowledgement: z.looseObject({}).nullable() });

export const RolloutHealth = z
  .looseObject({
    rolloutId: z.string(),
    verdict,
    healthy: z.boolean(),
    breached: z.boolean(),
    reasons: z.array(z.string()),
    state: z.enum(["NOT_STARTED", "ACTIVE", "COMPLETE", "ROLLED_BACK"]),
    completedAt: nullableTime,
    stage: Transition.nullable(),
    scopeNamespaces: z.array(z.string()).nullable(),
    window: window.nullable(),
    nowWindow: window.nullable(),
    baseline: window.nullable(),
    figures: z.looseObject({}).nullable().describe("currentRatePerMin, stageRatePerMin, baselineRatePerMin, extraDropsPerMin, increasePct, surprises, clusters, enforcement, errors, ... (README, Rollout API)"),
    budget: z.array(z.looseObject({ name: z.string(), state: z.string() })),
    surprises: z.array(stagePath),
    expected: z.array(stagePath),
    acknowledged: z.array(stagePath),
    otherPolicies: z.array(stagePath),
    otherReasons: z.array(z.looseObject({ reason: z.string(), drops: z.number() })),
    stillAudited: z.array(stagePath),
    expiredExceptions: z.array(z.looseObject({ path: z.string() })),
    evaluatedAt: time,
  })
  .meta({ id: "RolloutHealth" });

export const Preflight = z
  .looseObject({ from: time, to: time, wouldDrop: z.array(stagePath), acknowledged: z.array(stagePath), auditDrops: z.number() })
  .meta({ id: "Preflight" });

export const ErrorSeries = z
  .looseObject({
    status: z.string(),
    detail: z.string().nullable().optional(),
    query: z.string().nullable().optional(),
    stepSeconds: z.number().optional(),
    points: z.array(z.looseObject({ t: time, ratio: z.number().nullable() })),
  })
  .meta({ id: "ErrorSeries" });

export const Markers = z
  .looseObject({
    markers: z.array(
      z.looseObject({
        rolloutId: z.string(),
        rolloutName: z.string(),
        seq: z.number().int(),
        stage,
        at: time,
        actor: z.string(),
        note: z.string().nullable(),
        namespaces: z.array(z.string()),
        classes: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "Markers" });

export const Acknowledgement = z
  .looseObject({
    id: z.string(),
    cluster: z.string(),
    pathId: z.string(),
    actor: z.string(),
    owner: z.string(),
    reason: z.string(),
    createdAt: time,
    expiresAt: nullableTime,
    rolloutId: z.string().nullable(),
  })
  .meta({ id: "Acknowledgement" });

export const Acknowledgements = z
  .looseObject({ acknowledgements: z.array(Acknowledgement.extend({ expired: z.boolean() })) })
  .meta({ id: "Acknowledgements" });

export const CreatedAcknowledgement = z
  .looseObject({
    id: z.string(),
    cluster: z.string(),
    pathId: z.string(),
    reason: z.string(),
    owner: z.string(),
    expiresAt: nullableTime,
    rolloutId: z.string().nullable(),
  })
  .meta({ id: "CreatedAcknowledgement" });

export const AllowBundle = z
  .looseObject({ yaml: z.string(), warnings: z.array(z.looseObject({ code: z.string(), message: z.string() })) })
  .meta({ id: "AllowBundle", description: "With output=json (or Accept: application/json): the allow rules as objects and YAML, the formats on offer and every warning." });
