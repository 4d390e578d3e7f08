// GET /api/v1/rollouts/markers?from&to&cluster&namespace: stage transitions to draw on drops charts.
import { internalError } from "@/lib/api/errors";
import { markersParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { getStageMarkers } from "@/lib/queries/rollouts/getStageMarkers";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, markersParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    return Response.json({ markers: await getStageMarkers(parsed.data, parsed.data) });
  } catch (error) {
    return internalError(error, "rollouts/markers");
  }
}
