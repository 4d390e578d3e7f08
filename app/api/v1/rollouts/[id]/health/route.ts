// GET /api/v1/rollouts/{id}/health?stage=N: the verdict on the current (or a past) stage, with the
// figures behind it. Cheap enough to poll every 30 s (an Argo Rollouts web metric, a CI gate).
import { z } from "zod";
import { internalError, notFound } from "@/lib/api/errors";
import { parseSearchParams } from "@/lib/api/parse";
import { findRollout } from "@/lib/queries/rollouts/getRollout";
import { getRolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";

export const dynamic = "force-dynamic";

const querySchema = z.strictObject({ stage: z.coerce.number().int().min(1).max(100_000).optional() });

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const query = parseSearchParams(request.url, querySchema);
  if ("response" in query) return query.response;
  const { id } = await context.params;
  try {
    const rollout = await findRollout(id);
    if (!rollout) return notFound(`no rollout ${id}`);
    if (query.data.stage !== undefined && !rollout.transitions.some((t) => t.seq === query.data.stage)) {
      return notFound(`rollout ${id} has no stage ${query.data.stage}`);
    }
    return Response.json(await getRolloutHealth(rollout, new Date(), query.data.stage));
  } catch (error) {
    return internalError(error, "rollouts/health");
  }
}
