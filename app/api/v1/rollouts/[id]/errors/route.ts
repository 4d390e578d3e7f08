// GET /api/v1/rollouts/{id}/errors?from&to[&stage=N]: the rollout's application error ratio over a
// range, from Prometheus, for the chart under the drops: {status, detail, query, stepSeconds,
// points: [{t, ratio}]}. The namespaces are the judged stage's scope (default: the current one).
import { badRequest, notFound } from "@/lib/api/errors";
import { parseSearchParams } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { rolloutErrorsQuerySchema as querySchema } from "@/lib/api/schemas";
import { readFailure } from "@/lib/api/readFailure";
import { findRollout } from "@/lib/queries/rollouts/getRollout";
import { namespacesInScope, resolveScope } from "@/lib/queries/rollouts/stageScope";
import { readErrorSeries } from "@/lib/rollouts/errorBudget";

export const dynamic = "force-dynamic";

/** About 120 points a chart, on whole minutes. */
const MAX_POINTS = 120;

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const query = parseSearchParams(request.url, querySchema);
  if ("response" in query) return query.response;
  const { from, to, stage } = query.data;
  if (from >= to) return badRequest('parameter "from": must be before "to"');
  if (to.getTime() - from.getTime() > 400 * 86_400_000) return badRequest('parameter "to": at most 400 days after "from"');
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  try {
    const rollout = await findRollout(param.data);
    if (!rollout) return notFound(`no rollout ${param.data}`);
    const transition = stage === undefined ? rollout.currentStage : rollout.transitions.find((t) => t.seq === stage);
    if (stage !== undefined && !transition) return notFound(`rollout ${rollout.id} has no stage ${stage}`);
    const namespaces = transition ? await namespacesInScope(rollout.clusters, await resolveScope(transition)) : null;
    const stepSeconds = Math.max(60, Math.ceil((to.getTime() - from.getTime()) / 1000 / MAX_POINTS / 60) * 60);
    return Response.json(await readErrorSeries(rollout, namespaces, { from, to }, stepSeconds));
  } catch (error) {
    return readFailure(error, "rollouts/errors");
  }
}
