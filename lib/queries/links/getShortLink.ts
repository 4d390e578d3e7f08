import { getPrisma } from "../../db/prisma";
import { SHORT_LINK_PATH } from "../../links/shortLinks";

export const SHORT_LINK_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** The link, or null; also null for a link stored before its path was checked that /s/<id> could not redirect to. */
export async function getShortLink(id: string) {
  if (!SHORT_LINK_ID.test(id)) return null;
  const link = await getPrisma().shortLink.findUnique({ where: { id }, select: { id: true, title: true, path: true, createdAt: true } });
  return link && SHORT_LINK_PATH.test(link.path) ? link : null;
}
