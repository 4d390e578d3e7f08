// The API's replies as zod schemas, for the OpenAPI document (document.ts). Requests are described
// by the schemas the routes validate with; replies are built by the queries, so these describe them,
// and the contract test (openapi.test.ts) validates real replies against the generated document.
// Objects are loose: a reply may gain fields without breaking a client that reads these.
import { z } from "zod";
import { SOURCE_FORMAT_NAMES } from "../ingest/formats";

const time = z.iso.datetime({ offset: true });
const nullableTime = time.nullable();
const stage = z.enum(["OBSERVE", "CANARY", "EXPAND", "ENFORCED", "ROLLED_BACK"]);
const verdict = z.enum(["HEALTHY", "AT_RISK", "BREACHED", "INSUFFICIENT_DATA", "NOT_ENFORCED"]);
const direction = z.enum(["INGRESS", "EGRESS", "UNKNOWN"]);
const step = z.enum(["1m", "5m", "1h", "1d"]);
const window = z.looseObject({ from: time, to: time });

export const ErrorReply = z
  .looseObject({
    error: z.looseObject({
      code: z.string(),
      message: z.string(),
      details: z.array(z.looseObject({ line: z.number().int().optional(), field: z.string().optional(), reason: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error", description: 'Every error: {"error": {"code", "message", "details"}}; details name the fields or lines.' });

export const Liveness = z.looseObject({ status: z.literal("ok") }).meta({ id: "Liveness" });
export const Readiness = z.looseObject({ status: z.literal("ready"), database: z.looseObject({ latencyMs: z.number() }) }).meta({ id: "Readiness" });

export const IngestReply = z
  .looseObject({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    ignored: z.number().int(),
    ignoredReasons: z.record(z.string(), z.number().int()),
    rejected: z.array(z.looseObject({ line: z.number().int(), reason: z.string() })).max(100),
    rejectedCount: z.number().int(),
  })
  .meta({ id: "IngestReply" });

export const HeartbeatReply = z.looseObject({ cluster: z.string(), at: time }).meta({ id: "HeartbeatReply" });

const seriesPoint = z.looseObject({ t: time, count: z.number() });
export const DropSeries = z
  .looseObject({
    step,
    from: time,
    to: time,
    total: z.number(),
    series: z.array(z.looseObject({ key: z.string(), other: z.literal(true).optional(), total: z.number(), points: z.array(seriesPoint) })),
  })
  .meta({ id: "DropSeries" });

export const DropPath = z
  .looseObject({
    id: z.string(),
    cluster: z.string(),
    namespace: z.string(),
    direction,
    srcNamespace: z.string().nullable(),
    srcWorkload: z.string().nullable(),
    dstNamespace: z.string().nullable(),
    dstWorkload: z.string().nullable(),
    dstPort: z.number().int().nullable(),
    protocol: z.string(),
    count: z.number(),
    dropped: z.number(),
    audit: z.number(),
    firstSeen: time,
    lastSeen: time,
    isNew: z.boolean(),
    policies: z.array(z.string()),
    reasons: z.array(z.string()),
  })
  .meta({ id: "DropPath" });

export const DropPaths = z.looseObject({ from: time, to: time, paths: z.array(DropPath) }).meta({ id: "DropPaths" });

export const DropEvents = z
  .looseObject({
    events: z.array(
      z.looseObject({
        time,
        cluster: z.string(),
        verdict: z.enum(["DROPPED", "AUDIT"]),
        direction,
        namespace: z.string(),
        reason: z.string(),
        policies: z.array(z.string()),
        count: z.number(),
        dropPathId: z.string(),
        source: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
    keptPerPathMinute: z.number().int().nullable(),
  })
  .meta({ id: "DropEvents" });

export const DropPolicies = z
  .looseObject({ from: time, to: time, policies: z.array(z.looseObject({ policy: z.string(), count: z.number() })) })
  .meta({ id: "DropPolicies" });

export const StillAudited = z
  .looseObject({
    step,
    from: time,
    to: time,
    total: z.number(),
    points: z.array(seriesPoint),
    namespaces: z.array(
      z.looseObject({
        cluster: z.string(),
        namespace: z.string(),
        count: z.number(),
        rollouts: z.array(z.looseObject({ id: z.string(), name: z.string(), stage, since: time })),
      }),
    ),
  })
  .meta({ id: "StillAudited" });

export const Clusters = z
  .looseObject({
    from: time,
    to: time,
    now: time,
    livenessMinutes: z.number(),
    clusters: z.array(
      z.looseObject({
        cluster: z.string(),
        firstSeen: nullableTime,
        lastSeen: nullableTime,
        lastCheckinAt: nullableTime,
        lastHeartbeatAt: nullableTime,
        reporting: z.boolean(),
        stoppedReporting: z.boolean(),
        drops: z.number(),
        dropped: z.number(),
        audit: z.number(),
        namespaces: z.number(),
      }),
    ),
  })
  .meta({ id: "Clusters" });

export const CreatedLink = z.looseObject({ id: z.string(), url: z.string() }).meta({ id: "CreatedLink" });
export const ShortLink = z
  .looseObject({ id: z.string(), title: z.string().nullable(), path: z.string(), createdAt: time, url: z.string() })
  .meta({ id: "ShortLink" });

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

export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }).meta({ id: "OpenApiDocument" });

/** Formats `POST /api/v1/ingest?format=` takes (the route's query schema enumerates the same names). */
export const INGEST_FORMATS = ["auto", "aggregate", ...SOURCE_FORMAT_NAMES] as const;
