import type { TokenScope } from "../../db/generated/enums";
import { getPrisma } from "../../db/prisma";
import { hashTokenSecret } from "../../tokens/secret";

export interface ActiveToken {
  id: string;
  scope: TokenScope;
  cluster: string | null;
  /** Who holds it (e.g. "ci pipeline"): the default actor of what it records. */
  name: string;
  /** When it last authenticated a request (to the minute: see recordTokenUse); null: never. */
  lastUsedAt: Date | null;
}

/** The unrevoked token with this secret, or null. */
export async function findActiveToken(secret: string): Promise<ActiveToken | null> {
  return getPrisma().apiToken.findFirst({
    where: { tokenHash: hashTokenSecret(secret), revokedAt: null },
    select: { id: true, scope: true, cluster: true, name: true, lastUsedAt: true },
  });
}
