// One rollout: GET (with transitions and webhook deliveries), PATCH, DELETE (scope `write`; a
// token bound to a cluster changes only rollouts on that cluster alone).
import { authenticate } from "@/lib/api/auth";
import { internalError, notFound } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { getRollout } from "@/lib/queries/rollouts/getRollout";
import { deleteRollout, rolloutUpdateSchema, updateRollout } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  const id = param.data;
  try {
    const rollout = await getRollout(id);
    return rollout ? Response.json(rollout) : notFound(`no rollout ${id}`);
  } catch (error) {
    return internalError(error, "rollouts");
  }
}

export async function PATCH(request: Request, context: Context): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  const id = param.data;
  const body = await parseJsonBody(request, rolloutUpdateSchema);
  if ("response" in body) return body.response;
  try {
    await updateRollout(id, body.data, { boundCluster: auth.token.cluster });
    return Response.json(await getRollout(id));
  } catch (error) {
    return writeFailure(error, "rollouts");
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  try {
    await deleteRollout(param.data, { boundCluster: auth.token.cluster });
    return new Response(null, { status: 204 });
  } catch (error) {
    return writeFailure(error, "rollouts");
  }
}
