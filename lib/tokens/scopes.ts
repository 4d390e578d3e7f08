import type { TokenScope } from "../db/generated/enums";

export const TOKEN_SCOPES = ["ingest", "write", "admin"] as const satisfies readonly TokenScope[];

// admin may do anything, write may also ingest; ingest may only ingest.
const GRANTS: Record<TokenScope, readonly TokenScope[]> = {
  ingest: ["ingest"],
  write: ["ingest", "write"],
  admin: ["ingest", "write", "admin"],
};

export function scopeAllows(held: TokenScope, needed: TokenScope): boolean {
  return GRANTS[held].includes(needed);
}
