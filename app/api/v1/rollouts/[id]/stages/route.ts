// POST /api/v1/rollouts/{id}/stages {stage, at?, namespaces?, classes?, actor?, note?}: record a
// transition (a CI/CD pipeline calls this as it applies the policy). 409 when it may not follow
// the current stage, with the reason. Scope `write` (a token bound to a cluster: only rollouts on
// that cluster alone, else 403); the actor defaults to the token's name.
import { authenticate } from "@/lib/api/auth";
import { parseJsonBody } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { getRollout } from "@/lib/queries/rollouts/getRollout";
import { recordTransition, transitionSchema } from "@/lib/rollouts/manage";
import { evaluateRollouts } from "@/lib/rollouts/webhooks";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  const id = param.data;
  const body = await parseJsonBody(request, transitionSchema);
  if ("response" in body) return body.response;
  try {
    const { seq } = await recordTransition(id, body.data, auth.token.name, new Date(), { boundCluster: auth.token.cluster });
    // Judge the new stage now: lists and webhooks should not wait for the next evaluator round.
    await evaluateRollouts(new Date(), [id]).catch((error: unknown) => console.error("[rollouts] evaluation after a transition failed:", error));
    const rollout = await getRollout(id);
    return Response.json(rollout?.transitions.find((t) => t.seq === seq), { status: 201 });
  } catch (error) {
    return writeFailure(error, "rollouts/stages");
  }
}
