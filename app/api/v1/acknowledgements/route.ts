// Acknowledged drop paths (known noise: scanners, probes), out of every rollout's budget.
// GET lists them; POST {cluster, pathId, reason, actor?} marks one; DELETE ?cluster&pathId unmarks it.
import { z } from "zod";
import { authenticate } from "@/lib/api/auth";
import { internalError } from "@/lib/api/errors";
import { parseJsonBody, parseSearchParams } from "@/lib/api/parse";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { getAcknowledgements } from "@/lib/queries/rollouts/getRolloutHealth";
import { acknowledgementSchema, acknowledgePath, unacknowledgePath } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const acks = await getAcknowledgements();
    return Response.json({
      acknowledgements: [...acks].map(([key, ack]) => ({ cluster: key.slice(0, key.lastIndexOf("/")), pathId: key.slice(key.lastIndexOf("/") + 1), ...ack })),
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
  try {
    await acknowledgePath(body.data, auth.token.name);
    return Response.json({ cluster: body.data.cluster, pathId: body.data.pathId, reason: body.data.reason }, { status: 201 });
  } catch (error) {
    return writeFailure(error, "acknowledgements");
  }
}

const deleteSchema = acknowledgementSchema.pick({ cluster: true, pathId: true });

export async function DELETE(request: Request): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const query = parseSearchParams(request.url, z.strictObject(deleteSchema.shape));
  if ("response" in query) return query.response;
  try {
    await unacknowledgePath(query.data.cluster, query.data.pathId);
    return new Response(null, { status: 204 });
  } catch (error) {
    return writeFailure(error, "acknowledgements");
  }
}
