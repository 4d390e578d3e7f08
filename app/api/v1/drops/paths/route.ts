// GET /api/v1/drops/paths: the most-dropped paths in a range, with exact counts.
import { pathsParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { getTopDropPaths } from "@/lib/queries/drops/getTopDropPaths";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, pathsParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    const { q, ...query } = parsed.data;
    const paths = await getTopDropPaths({ ...query, search: q });
    return Response.json({ from: query.from.toISOString(), to: query.to.toISOString(), paths });
  } catch (error) {
    return readFailure(error, "drops/paths");
  }
}
