// Short links: a pinned dashboard view under /s/<id>.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getPrisma } from "../db/prisma";

/**
 * Only paths of this dashboard: a leading "/" not followed by "/" or "\" (no open redirect), and
 * only visible ASCII, as a browser's address bar percent-encodes it. Control, zero-width and other
 * non-ASCII characters cannot go into the Location header /s/<id> answers with: they are refused
 * here rather than stored as a link that can never open.
 */
export const SHORT_LINK_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

export const shortLinkInputSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(4000)
    .regex(SHORT_LINK_PATH, 'must be a path on this dashboard, starting with "/", in visible ASCII (percent-encode anything else)'),
  title: z.string().trim().max(200).optional(),
});

export type ShortLinkInput = z.output<typeof shortLinkInputSchema>;

export async function createShortLink(input: ShortLinkInput): Promise<{ id: string }> {
  const id = randomBytes(6).toString("base64url");
  await getPrisma().shortLink.create({ data: { id, path: input.path, title: input.title || null } });
  return { id };
}

/** True when a link was deleted. */
export async function deleteShortLink(id: string): Promise<boolean> {
  return (await getPrisma().shortLink.deleteMany({ where: { id } })).count > 0;
}
