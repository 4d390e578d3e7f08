// Query-string schemas of the drops read API. Every parameter is bounded; errors name it.
import { z } from "zod";
import { TRAFFIC_DIRECTIONS, VERDICTS } from "../ingest/types";
import { isDropPathId } from "../queries/drops/dropPathId";
import { decodeCursor } from "../queries/drops/getDropEvents";
import { SERIES_GROUP_NAMES } from "../queries/drops/seriesGroups";
import { DEFAULT_RANGE_MS, MAX_BUCKETS, MAX_RANGE_DAYS, bucketCount, isSaneTime, pickStep, STEP_NAMES } from "../queries/timeRange";

/** One value or several (`?namespace=a&namespace=b`, or `?namespace=a,b`). */
function listOf<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).max(100));
}

const name = z.string().min(1).max(253);
const isoTime = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v))
  .refine(isSaneTime, "a time between 1970 and 9999");
/** A drop path's id: digits within PostgreSQL's bigint (a larger number is no path: 400, not a failed cast). */
const dropPathId = z.string().refine(isDropPathId, "a drop path id (digits, at most 9223372036854775807)");

const baseSchema = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  cluster: listOf(name).optional(),
  namespace: listOf(name).optional(),
  verdict: listOf(z.enum(VERDICTS)).optional(),
  direction: listOf(z.enum(TRAFFIC_DIRECTIONS)).optional(),
  reason: listOf(z.string().min(1).max(128)).optional(),
  policy: listOf(z.string().min(1).max(512)).optional(),
});

type Base = z.output<typeof baseSchema>;

/** Fills the default range (the last 24 hours, ending now) and checks from < to. */
function withRange<T extends Base>(value: T, ctx: z.RefinementCtx, now: Date) {
  const to = value.to ?? (value.from ? new Date(Math.max(now.getTime(), value.from.getTime() + 1)) : now);
  const from = value.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    return z.NEVER;
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    ctx.addIssue({ code: "custom", path: ["from"], message: `range is longer than ${MAX_RANGE_DAYS} days` });
    return z.NEVER;
  }
  return { ...value, from, to };
}

// Each schema's object part is built once: zod compiles an object's parser on its first use, and
// a schema built per request would be compiled on every one. Only the range check needs `now`.
const seriesObject = baseSchema.extend({
  step: z.enum(STEP_NAMES).optional(),
  groupBy: z.enum(SERIES_GROUP_NAMES).default("namespace"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  path: dropPathId.optional(),
  /** `true`: each series' total only, its points left empty (a ranked list needs no buckets). */
  totals: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});

export function seriesParamsSchema(now: Date) {
  return seriesObject.transform((value, ctx) => {
    const ranged = withRange(value, ctx, now);
    if (ranged === z.NEVER) return z.NEVER;
    const step = value.step ?? pickStep(ranged);
    const buckets = bucketCount(ranged, step);
    if (buckets > MAX_BUCKETS) {
      ctx.addIssue({ code: "custom", path: ["step"], message: `${step} over this range is ${buckets} buckets (at most ${MAX_BUCKETS}); use a larger step` });
      return z.NEVER;
    }
    return { ...ranged, step };
  });
}

const pathsObject = baseSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  q: z.string().max(200).optional(),
});

export function pathsParamsSchema(now: Date) {
  return pathsObject.transform((value, ctx) => withRange(value, ctx, now));
}

const eventsObject = baseSchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .max(2000)
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "not a cursor from a previous page (use nextCursor as given)" });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
  path: dropPathId.optional(),
  q: z.string().max(200).optional(),
});

export function eventsParamsSchema(now: Date) {
  return eventsObject.transform((value, ctx) => withRange(value, ctx, now));
}

const clustersObject = baseSchema.pick({ from: true, to: true }).strict();

/** GET /api/v1/clusters: only the window the counts cover (default the last 24 hours). */
export function clustersParamsSchema(now: Date) {
  return clustersObject.transform((value, ctx) => withRange(value, ctx, now));
}

const markersObject = baseSchema.pick({ from: true, to: true, cluster: true, namespace: true });

/** GET /api/v1/rollouts/markers: a range and the cluster/namespace filters of the chart asking. */
export function markersParamsSchema(now: Date) {
  return markersObject.transform((value, ctx) => withRange(value, ctx, now));
}
