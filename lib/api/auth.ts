// Bearer-token authentication for writes.
import type { TokenScope } from "../db/generated/enums";
import { findActiveToken, type ActiveToken } from "../queries/tokens/findActiveToken";
import { sharedWriteProblem } from "../tokens/clusterBinding";
import { recordTokenUse } from "../tokens/recordTokenUse";
import { scopeAllows } from "../tokens/scopes";
import { databaseUnavailable, reportDatabaseFailure } from "../db/pool";
import { ReadTimeoutError } from "../queries/readPool";
import { forbidden, serviceUnavailable, unauthorized } from "./errors";

/** A collector backs off this long when the token cannot be checked (the database is not answering). */
const UNAVAILABLE_RETRY_SECONDS = 5;

export type Authentication = { token: ActiveToken } | { response: Response };

export async function authenticate(request: Request, needed: TokenScope): Promise<Authentication> {
  const header = request.headers.get("authorization");
  if (!header) return { response: unauthorized("missing Authorization: Bearer <token> header") };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { response: unauthorized("Authorization header must be: Bearer <token>") };
  if (match[1].length > 200) return { response: unauthorized("unknown or revoked token") };
  let token: ActiveToken | null;
  try {
    token = await findActiveToken(match[1]);
  } catch (error) {
    // A frozen or absent database: 503 with Retry-After, within the read timeout, never a hang or a 500.
    if (error instanceof ReadTimeoutError || databaseUnavailable(error)) {
      if (!(error instanceof ReadTimeoutError)) reportDatabaseFailure("auth", error);
      return { response: serviceUnavailable("the database is not answering, so the token cannot be checked; retry shortly", UNAVAILABLE_RETRY_SECONDS) };
    }
    throw error;
  }
  if (!token) return { response: unauthorized("unknown or revoked token") };
  // Recorded for `token list`, not awaited: a slow write never holds the request, a failure never fails it.
  void recordTokenUse(token, new Date()).catch((error: unknown) => console.error("[auth] recording a token's last use failed:", error));
  if (!scopeAllows(token.scope, needed)) {
    return { response: forbidden(`this token's scope is "${token.scope}"; this call needs "${needed}"`) };
  }
  return { token };
}

/**
 * A write token for something every cluster shares (namespace classes, short links): a token bound
 * to a cluster may not change those (403).
 */
export async function authenticateSharedWrite(request: Request, what: string): Promise<Authentication> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth;
  const problem = sharedWriteProblem(auth.token.cluster, what);
  return problem ? { response: forbidden(problem) } : auth;
}
