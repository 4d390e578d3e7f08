import type { TokenScope } from "../../db/generated/enums";
import { hashTokenSecret } from "../../tokens/secret";
import { readQuery } from "../readPool";

export interface ActiveToken {
  id: string;
  scope: TokenScope;
  cluster: string | null;
  /** Who holds it (e.g. "ci pipeline"): the default actor of what it records. */
  name: string;
  /** When it last authenticated a request (to the minute: see recordTokenUse); null: never. */
  lastUsedAt: Date | null;
}

/**
 * The unrevoked token with this secret, or null. On the read pool: a database that stops answering
 * fails the lookup within DROPBOARD_READ_TIMEOUT_MS (ReadTimeoutError) instead of holding every
 * write request, and its Authorization header, in a queue no bound covers.
 */
export async function findActiveToken(secret: string): Promise<ActiveToken | null> {
  const { rows } = await readQuery<ActiveToken>(
    `SELECT id, scope::text AS scope, cluster, name, last_used_at AS "lastUsedAt"
       FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL LIMIT 1`,
    [hashTokenSecret(secret)],
  );
  return rows[0] ?? null;
}
