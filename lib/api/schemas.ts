// Request schemas of routes that define no schema of their own elsewhere, kept here rather than in
// the route files so the OpenAPI document (lib/openapi) is generated from the very schemas the
// routes validate with (a route file may export only its handlers).
import { z } from "zod";
import { parsePinnedTime } from "../queries/timeRange";

/** POST /api/v1/heartbeat */
export const heartbeatBodySchema = z.strictObject({
  cluster: z.string().min(1).max(253).regex(/^[^\u0000-\u001f\u007f]+$/, "no control characters").optional(),
  collector: z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, "no control characters").optional(),
});

/** GET /api/v1/acknowledgements */
export const acknowledgementListSchema = z.strictObject({ rolloutId: z.string().min(1).max(32).optional() });

/** GET /api/v1/rollouts/{id}/health */
export const rolloutHealthQuerySchema = z.strictObject({ stage: z.coerce.number().int().min(1).max(100_000).optional() });

const list = z
  .string()
  .max(10_000)
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().min(1).max(253)).max(500));

/** GET /api/v1/rollouts/{id}/preflight */
export const rolloutPreflightQuerySchema = z.strictObject({
  namespaces: list.optional(),
  classes: list.optional(),
  hours: z.coerce.number().int().min(1).max(24 * 30).default(24),
});

const time = z.string().max(64).transform((text, ctx) => {
  const parsed = parsePinnedTime(text);
  if (!parsed) ctx.addIssue({ code: "custom", message: "an ISO-8601 time between 1970 and 9999" });
  return parsed ?? new Date(0);
});

/** GET /api/v1/rollouts/{id}/errors */
export const rolloutErrorsQuerySchema = z.strictObject({
  from: time,
  to: time,
  stage: z.coerce.number().int().min(1).max(100_000).optional(),
});
