// `last_used_at`: when a token last authenticated a request, for `token list` (which tokens are
// live, which can go). Written at most once a minute per token: a collector authenticating every
// second costs one UPDATE a minute, and replicas racing to record the same minute write once.
import { getPrisma } from "../db/prisma";

export const TOKEN_USE_RESOLUTION_MS = 60_000;

/** Records that the token was used at `now`, unless that was recorded less than a minute before. True when written. */
export async function recordTokenUse(token: { id: string; lastUsedAt: Date | null }, now: Date): Promise<boolean> {
  const stale = new Date(now.getTime() - TOKEN_USE_RESOLUTION_MS);
  if (token.lastUsedAt !== null && token.lastUsedAt > stale) return false;
  const { count } = await getPrisma().apiToken.updateMany({
    where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
    data: { lastUsedAt: now },
  });
  return count > 0;
}
