// Short links: a pinned dashboard view under /s/<id>.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getPrisma } from "../db/prisma";

/** Only paths of this dashboard: a leading "/" not followed by "/" or "\" (no open redirect). */
export const shortLinkInputSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(4000)
    .regex(/^\/(?![/\\])[^\s]*$/, 'must be a path on this dashboard, starting with "/"'),
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
