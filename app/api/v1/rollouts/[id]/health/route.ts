// GET /api/v1/rollouts/{id}/health?stage=N: the verdict on the current (or a past) stage, with the
// figures behind it. Cheap enough to poll every 30 s (an Argo Rollouts web metric, a CI gate).
import { notFound } from "@/lib/api/errors";
import { readFailure } from "@/lib/api/readFailure";
import { parseSearchParams } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { rolloutHealthQuerySchema as querySchema } from "@/lib/api/schemas";
import { findRollout } from "@/lib/queries/rollouts/getRollout";
import { getRolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const query = parseSearchParams(request.url, querySchema);
  if ("response" in query) return query.response;
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  const id = param.data;
  try {
    const rollout = await findRollout(id);
    if (!rollout) return notFound(`no rollout ${id}`);
    if (query.data.stage !== undefined && !rollout.transitions.some((t) => t.seq === query.data.stage)) {
      return notFound(`rollout ${id} has no stage ${query.data.stage}`);
    }
    return Response.json(await getRolloutHealth(rollout, new Date(), query.data.stage));
  } catch (error) {
    return readFailure(error, "rollouts/health");
  }
}
