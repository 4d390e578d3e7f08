// Bearer-token authentication for writes.
import type { TokenScope } from "../db/generated/enums";
import { findActiveToken, type ActiveToken } from "../queries/tokens/findActiveToken";
import { scopeAllows } from "../tokens/scopes";
import { forbidden, unauthorized } from "./errors";

export type Authentication = { token: ActiveToken } | { response: Response };

export async function authenticate(request: Request, needed: TokenScope): Promise<Authentication> {
  const header = request.headers.get("authorization");
  if (!header) return { response: unauthorized("missing Authorization: Bearer <token> header") };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { response: unauthorized("Authorization header must be: Bearer <token>") };
  if (match[1].length > 200) return { response: unauthorized("unknown or revoked token") };
  const token = await findActiveToken(match[1]);
  if (!token) return { response: unauthorized("unknown or revoked token") };
  if (!scopeAllows(token.scope, needed)) {
    return { response: forbidden(`this token's scope is "${token.scope}"; this call needs "${needed}"`) };
  }
  return { token };
}
