// GET /api/v1/clusters: every cluster that sent drops, its last-seen time and its drops in the last 24 h.
import { internalError } from "@/lib/api/errors";
import { clustersParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { getClusters } from "@/lib/queries/clusters/getClusters";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, clustersParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    const window = parsed.data;
    return Response.json({ from: window.from.toISOString(), to: window.to.toISOString(), clusters: await getClusters(window) });
  } catch (error) {
    return internalError(error, "clusters");
  }
}
