// GET /api/v1/rollouts/{id}/preflight?namespaces=a,b&classes=c&hours=24: the drop paths already
// seen as AUDIT in that scope: "promoting would start dropping these".
import { badRequest, internalError, notFound } from "@/lib/api/errors";
import { parseSearchParams } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { rolloutPreflightQuerySchema as querySchema } from "@/lib/api/schemas";
import { listNamespaceClasses } from "@/lib/queries/rollouts/getNamespaceClasses";
import { getPreflight } from "@/lib/queries/rollouts/getPreflight";
import { findRollout } from "@/lib/queries/rollouts/getRollout";

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
    const classNames = query.data.classes ?? [];
    const classes = await listNamespaceClasses(classNames);
    const missing = classNames.filter((name) => !classes.some((c) => c.name === name));
    if (missing.length > 0) return badRequest(`classes: no namespace class ${missing.map((m) => `"${m}"`).join(", ")}`);
    const scope = { namespaces: query.data.namespaces ?? [], classes };
    return Response.json(await getPreflight(rollout, scope, query.data.hours, new Date()));
  } catch (error) {
    return internalError(error, "rollouts/preflight");
  }
}
