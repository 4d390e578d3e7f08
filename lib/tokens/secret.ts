// Bearer tokens: random secrets shown once; only their SHA-256 is stored.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "dbt_";

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(24).toString("base64url");
}

export function newTokenId(): string {
  return randomBytes(6).toString("hex");
}

export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
