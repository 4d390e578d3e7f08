// GET /api/v1/clusters: every cluster that sent drops or checked in: its collector's last check-in
// and whether it is reporting, its last drop, and its drops in the window (default: the last 24 h).
import { internalError } from "@/lib/api/errors";
import { clustersParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { livenessMinutes } from "@/lib/config";
import { getClusters } from "@/lib/queries/clusters/getClusters";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const now = new Date();
  const parsed = parseSearchParams(request.url, clustersParamsSchema(now));
  if ("response" in parsed) return parsed.response;
  try {
    const window = parsed.data;
    return Response.json({
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      now: now.toISOString(),
      livenessMinutes: livenessMinutes(),
      clusters: await getClusters(window, now),
    });
  } catch (error) {
    return internalError(error, "clusters");
  }
}
