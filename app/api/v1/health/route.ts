// GET /api/v1/health: liveness. 200 while the process serves requests; it touches no database,
// so a busy server (or a database outage, which readiness reports) never gets it restarted.
// Readiness (the database answers) is GET /api/v1/health/ready.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" });
}
