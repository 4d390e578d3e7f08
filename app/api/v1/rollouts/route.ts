// Rollouts: GET lists them (current stage, last verdict); POST creates one (scope `write`).
import { authenticate } from "@/lib/api/auth";
import { internalError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { getRollout, listRollouts } from "@/lib/queries/rollouts/getRollout";
import { createRollout, rolloutSchema } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    return Response.json({ rollouts: await listRollouts() });
  } catch (error) {
    return internalError(error, "rollouts");
  }
}

export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const body = await parseJsonBody(request, rolloutSchema);
  if ("response" in body) return body.response;
  try {
    const { id } = await createRollout(body.data, { boundCluster: auth.token.cluster });
    return Response.json(await getRollout(id), { status: 201 });
  } catch (error) {
    return writeFailure(error, "rollouts");
  }
}
