// GET /api/v1/links/{id}: what a short link opens. DELETE (token scope `write`): remove it.
import { authenticate } from "@/lib/api/auth";
import { internalError, notFound } from "@/lib/api/errors";
import { deleteShortLink } from "@/lib/links/shortLinks";
import { getShortLink } from "@/lib/queries/links/getShortLink";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const { id } = await context.params;
  try {
    const link = await getShortLink(id);
    return link ? Response.json({ ...link, url: `/s/${link.id}` }) : notFound(`no short link "${id.slice(0, 40)}"`);
  } catch (error) {
    return internalError(error, "links/get");
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const { id } = await context.params;
  try {
    return (await deleteShortLink(id)) ? new Response(null, { status: 204 }) : notFound(`no short link "${id.slice(0, 40)}"`);
  } catch (error) {
    return internalError(error, "links/delete");
  }
}
