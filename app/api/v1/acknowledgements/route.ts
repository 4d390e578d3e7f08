// Exceptions: drop paths acknowledged as expected noise (scanners, probes) or a known cost, out of
// the budget of one rollout or of every rollout, until they expire.
// GET lists them (?rolloutId: those that apply to it); POST {cluster, pathId, reason, owner?,
// expiresAt?, rolloutId?, actor?} marks one (again: replaces it); DELETE ?cluster&pathId[&rolloutId] removes it.
import { authenticate } from "@/lib/api/auth";
import { forbidden, internalError } from "@/lib/api/errors";
import { parseJsonBody, parseSearchParams } from "@/lib/api/parse";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { acknowledgementListSchema as listSchema } from "@/lib/api/schemas";
import { clusterWriteProblem } from "@/lib/tokens/clusterBinding";
import { listExceptions } from "@/lib/queries/rollouts/getExceptions";
import { acknowledgementSchema, acknowledgePath, unacknowledgePath, unacknowledgeSchema } from "@/lib/rollouts/exceptions";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const query = parseSearchParams(request.url, listSchema);
  if ("response" in query) return query.response;
  try {
    const now = Date.now();
    const exceptions = await listExceptions(query.data.rolloutId);
    return Response.json({
      acknowledgements: exceptions.map((e) => ({ ...e, expired: e.expiresAt !== null && new Date(e.expiresAt).getTime() <= now })),
    });
  } catch (error) {
    return internalError(error, "acknowledgements");
  }
}

export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const body = await parseJsonBody(request, acknowledgementSchema);
  if ("response" in body) return body.response;
  // A token bound to a cluster acknowledges that cluster's paths only (another team's gate is not its to open).
  const bound = clusterWriteProblem(auth.token.cluster, body.data.cluster);
  if (bound) return forbidden(bound);
  try {
    const { id } = await acknowledgePath(body.data, auth.token.name, new Date());
    const { cluster, pathId, reason, owner, expiresAt, rolloutId } = body.data;
    return Response.json({ id, cluster, pathId, reason, owner: owner ?? body.data.actor ?? auth.token.name, expiresAt: expiresAt ?? null, rolloutId: rolloutId ?? null }, { status: 201 });
  } catch (error) {
    return writeFailure(error, "acknowledgements");
  }
}

export async function DELETE(request: Request): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const query = parseSearchParams(request.url, unacknowledgeSchema);
  if ("response" in query) return query.response;
  const bound = clusterWriteProblem(auth.token.cluster, query.data.cluster);
  if (bound) return forbidden(bound);
  try {
    await unacknowledgePath(query.data);
    return new Response(null, { status: 204 });
  } catch (error) {
    return writeFailure(error, "acknowledgements");
  }
}
