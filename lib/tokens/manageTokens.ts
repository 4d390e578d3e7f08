// Creating and revoking tokens (the CLI's `token create|revoke`).
import type { TokenScope } from "../db/generated/enums";
import { getPrisma } from "../db/prisma";
import { hashTokenSecret, newTokenId, newTokenSecret } from "./secret";

export interface CreatedToken {
  id: string;
  secret: string;
  scope: TokenScope;
  cluster: string | null;
}

export async function createToken(input: { name: string; scope: TokenScope; cluster: string | null }): Promise<CreatedToken> {
  const secret = newTokenSecret();
  const row = await getPrisma().apiToken.create({
    data: { id: newTokenId(), name: input.name, tokenHash: hashTokenSecret(secret), scope: input.scope, cluster: input.cluster },
  });
  return { id: row.id, secret, scope: row.scope, cluster: row.cluster };
}

/** True when a live token was revoked; false when no such token, or it was revoked already. */
export async function revokeToken(id: string): Promise<boolean> {
  const result = await getPrisma().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count > 0;
}
