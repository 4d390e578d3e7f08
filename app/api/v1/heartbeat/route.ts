// POST /api/v1/heartbeat {"cluster"?, "collector"?}: a collector with nothing to send says it is
// alive (every 30 s), so rollout health can tell a quiet cluster from a silent collector.
// Scope `ingest`; a token bound to a cluster checks in that cluster, and may not name another.
import { authenticate } from "@/lib/api/auth";
import { badRequest, forbidden, internalError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { heartbeatBodySchema as bodySchema } from "@/lib/api/schemas";
import { checkIn } from "@/lib/ingest/checkins";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request, "ingest");
  if ("response" in auth) return auth.response;
  const body = await parseJsonBody(request, bodySchema, 4096, {});
  if ("response" in body) return body.response;
  const bound = auth.token.cluster;
  if (bound !== null && body.data.cluster !== undefined && body.data.cluster !== bound) {
    return forbidden(`cluster: this token may only report for "${bound}", not "${body.data.cluster}"`);
  }
  const cluster = bound ?? body.data.cluster;
  if (cluster === undefined) return badRequest('cluster: name the cluster this collector reports for (the token is not bound to one)');
  try {
    const at = new Date();
    await checkIn({ clusters: [cluster], at, heartbeat: true, collector: body.data.collector ?? null });
    return Response.json({ cluster, at: at.toISOString() });
  } catch (error) {
    return internalError(error, "heartbeat");
  }
}
