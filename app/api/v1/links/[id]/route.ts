// GET /api/v1/links/{id}: what a short link opens. DELETE (token scope `write`, bound to no
// cluster: links belong to everyone): remove it.
import { authenticateSharedWrite } from "@/lib/api/auth";
import { internalError, notFound } from "@/lib/api/errors";
import { linkIdParam } from "@/lib/api/pathParams";
import { deleteShortLink } from "@/lib/links/shortLinks";
import { getShortLink } from "@/lib/queries/links/getShortLink";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const param = await linkIdParam(context);
  if ("response" in param) return param.response;
  try {
    const link = await getShortLink(param.data);
    return link ? Response.json({ ...link, url: `/s/${link.id}` }) : notFound(`no short link "${param.data}"`);
  } catch (error) {
    return internalError(error, "links/get");
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const auth = await authenticateSharedWrite(request, "short links");
  if ("response" in auth) return auth.response;
  const param = await linkIdParam(context);
  if ("response" in param) return param.response;
  try {
    return (await deleteShortLink(param.data)) ? new Response(null, { status: 204 }) : notFound(`no short link "${param.data}"`);
  } catch (error) {
    return internalError(error, "links/delete");
  }
}
