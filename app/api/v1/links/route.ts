// POST /api/v1/links {path, title?}: a short link to a pinned view. Open like reading the
// dashboard (sharing is part of reading); bounded, limited to this dashboard's own paths, and
// capped per client (429 with Retry-After past DROPBOARD_LINKS_PER_MINUTE).
import { internalError, tooManyRequests } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { clientAddress, shortLinkLimiter } from "@/lib/links/rateLimit";
import { createShortLink, shortLinkInputSchema } from "@/lib/links/shortLinks";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const limiter = shortLinkLimiter();
  const decision = limiter.take(clientAddress(request), Date.now());
  if (!decision.allowed) {
    return tooManyRequests(`too many short links: at most ${limiter.perClient} a minute per client; retry in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds);
  }
  const body = await parseJsonBody(request, shortLinkInputSchema, 8 * 1024);
  if ("response" in body) return body.response;
  try {
    const { id } = await createShortLink(body.data);
    return Response.json({ id, url: `/s/${id}` }, { status: 201 });
  } catch (error) {
    return internalError(error, "links");
  }
}
