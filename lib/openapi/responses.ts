// The API's replies as zod schemas, for the OpenAPI document (document.ts). Requests are described
// by the schemas the routes validate with; replies are built by the queries, so these describe them,
// and the contract test (openapi.test.ts) validates real replies against the generated document.
// Objects are loose: a reply may gain fields without breaking a client that reads these.
import { z } from "zod";
import { SOURCE_FORMAT_NAMES } from "../ingest/formats";
import { time } from "./replyScalars";

// Each part's replies, one export list, so document.ts reads every reply from here.
export * from "./dropReplies";
export * from "./rolloutReplies";

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

export const CreatedLink = z.looseObject({ id: z.string(), url: z.string() }).meta({ id: "CreatedLink" });
export const ShortLink = z
  .looseObject({ id: z.string(), title: z.string().nullable(), path: z.string(), createdAt: time, url: z.string() })
  .meta({ id: "ShortLink" });
export const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }).meta({ id: "OpenApiDocument" });

/** Formats `POST /api/v1/ingest?format=` takes (the route's query schema enumerates the same names). */
export const INGEST_FORMATS = ["auto", "aggregate", ...SOURCE_FORMAT_NAMES] as const;
