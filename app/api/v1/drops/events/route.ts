// GET /api/v1/drops/events: raw drop events, newest first, keyset-paged with `cursor`.
import { eventsParamsSchema } from "@/lib/api/dropQueryParams";
import { parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { getDropEvents } from "@/lib/queries/drops/getDropEvents";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = parseSearchParams(request.url, eventsParamsSchema(new Date()));
  if ("response" in parsed) return parsed.response;
  try {
    const { q, path, ...query } = parsed.data;
    return Response.json(await getDropEvents({ ...query, search: q, dropPath: path }));
  } catch (error) {
    return readFailure(error, "drops/events");
  }
}
