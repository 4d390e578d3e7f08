// GET /api/v1/health: 200 when the database answers, 503 otherwise (for load balancers and probes).
import { serviceUnavailable } from "@/lib/api/errors";
import { checkDatabase } from "@/lib/queries/health/checkDatabase";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  if (!database.ok) return serviceUnavailable(`database unreachable: ${database.problem}`);
  return Response.json({ status: "ok", database: { latencyMs: database.latencyMs } });
}
