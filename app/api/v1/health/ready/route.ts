// GET /api/v1/health/ready: readiness. 200 when the database answers within 2 s on a connection
// of its own (not the shared pool), 503 with Retry-After otherwise: take the replica out of load
// balancing, do not restart it.
import { serviceUnavailable } from "@/lib/api/errors";
import { checkDatabase } from "@/lib/queries/health/checkDatabase";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  if (!database.ok) return serviceUnavailable(`database unreachable: ${database.problem}`, 5);
  return Response.json({ status: "ready", database: { latencyMs: database.latencyMs } });
}
