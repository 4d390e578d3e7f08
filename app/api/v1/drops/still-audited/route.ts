// GET /api/v1/drops/still-audited: AUDIT drops where a rollout stage enforces (after its grace
// period), per bucket and per namespace, with the same parameters as /drops/series.
import { seriesParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { getStillAudited } from "@/lib/queries/drops/getStillAudited";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const now = new Date();
  const parsed = parseSearchParams(request.url, seriesParamsSchema(now));
  if ("response" in parsed) return parsed.response;
  try {
    const { path, groupBy: _groupBy, limit: _limit, totals: _totals, ...query } = parsed.data;
    return Response.json(await getStillAudited({ ...query, ...(path ? { dropPath: path } : {}) }, now));
  } catch (error) {
    return readFailure(error, "drops/still-audited");
  }
}
