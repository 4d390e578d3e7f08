// Replies of the drops reads (series, paths, events, policies, still audited) and the clusters list.
import { z } from "zod";
import { direction, nullableTime, stage, step, time } from "./replyScalars";

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
