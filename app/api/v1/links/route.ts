// POST /api/v1/links {path, title?}: a short link to a pinned view. Open like reading the
// dashboard (sharing is part of reading); bounded and limited to this dashboard's own paths.
import { internalError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { createShortLink, shortLinkInputSchema } from "@/lib/links/shortLinks";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJsonBody(request, shortLinkInputSchema, 8 * 1024);
  if ("response" in body) return body.response;
  try {
    const { id } = await createShortLink(body.data);
    return Response.json({ id, url: `/s/${id}` }, { status: 201 });
  } catch (error) {
    return internalError(error, "links");
  }
}
