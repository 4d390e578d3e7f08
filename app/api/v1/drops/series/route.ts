// GET /api/v1/drops/series: drops over time per group, every bucket present, from rollups.
import { seriesParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { getDropSeries } from "@/lib/queries/drops/getDropSeries";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, seriesParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    const { path, totals, ...query } = parsed.data;
    return Response.json(await getDropSeries({ ...query, dropPath: path, totalsOnly: totals }));
  } catch (error) {
    return readFailure(error, "drops/series");
  }
}
