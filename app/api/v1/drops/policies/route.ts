// GET /api/v1/drops/policies: the policies behind the most drops in a range.
import { pathsParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { getTopPolicies } from "@/lib/queries/drops/getTopPolicies";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, pathsParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    const { q: _q, ...query } = parsed.data;
    return Response.json({ from: query.from.toISOString(), to: query.to.toISOString(), policies: await getTopPolicies(query) });
  } catch (error) {
    return readFailure(error, "drops/policies");
  }
}
