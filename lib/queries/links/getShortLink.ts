import { getPrisma } from "../../db/prisma";

export const SHORT_LINK_ID = /^[A-Za-z0-9_-]{1,16}$/;

export async function getShortLink(id: string) {
  if (!SHORT_LINK_ID.test(id)) return null;
  return getPrisma().shortLink.findUnique({ where: { id }, select: { id: true, title: true, path: true, createdAt: true } });
}
