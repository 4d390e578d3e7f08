// The one PostgreSQL connection pool of a process; Prisma shares it through its pg adapter.
// Also what its failures mean: which errors say "the database is unavailable, try again" (the
// caller answers 503 with Retry-After), and one log line per kind of failure and minute while
// it lasts, instead of a stack trace per request.
import pg from "pg";
import { databaseUrl } from "../config";

const holder = globalThis as unknown as { dropboardPool?: pg.Pool };

/** A connection not made in this long fails (a frozen or unreachable server), as does waiting this long for a free one. */
const CONNECT_TIMEOUT_MS = 10_000;

export function getPool(): pg.Pool {
  if (!holder.dropboardPool) {
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: Number(process.env.DROPBOARD_DB_POOL_SIZE ?? 10),
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: "dropboard",
    });
    // A client that loses its connection emits "error", idle or checked out; unheard, that event
    // is an uncaught exception that ends a plain Node process. Every client gets its own listener
    // (the pool re-emits only idle clients' errors: those are logged by this listener already).
    // The query in flight on a lost connection fails on its own; the pool replaces the client.
    pool.on("connect", (client) => client.on("error", (error) => reportDatabaseFailure("connection lost", error)));
    pool.on("error", () => undefined);
    holder.dropboardPool = pool;
  }
  return holder.dropboardPool;
}

export async function closePool(): Promise<void> {
  const pool = holder.dropboardPool;
  holder.dropboardPool = undefined;
  await pool?.end();
}

// SQLSTATEs that mean "not now": the server is starting, stopping or out of room, or a query gave up.
const UNAVAILABLE_STATES: Record<string, string> = {
  "57P01": "server shutting down (57P01 admin_shutdown)",
  "57P02": "server crashed (57P02 crash_shutdown)",
  "57P03": "server not accepting connections yet (57P03 cannot_connect_now)",
  "57P05": "connection idle too long (57P05)",
  "53300": "too many connections (53300)",
  "53000": "insufficient resources (53000)",
  "53100": "disk full (53100)",
  "53200": "out of memory (53200)",
  "57014": "statement timeout or cancel (57014)",
  "55P03": "lock timeout (55P03)",
  "40001": "serialization failure (40001)",
  "40P01": "deadlock (40P01)",
  "25P03": "idle in transaction timeout (25P03)",
};
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host lookup failed",
  EPIPE: "connection closed",
};
// Prisma's codes for the same (its pg adapter maps socket and pool errors to these).
const PRISMA_CODES: Record<string, string> = {
  P1001: "connection refused",
  P1002: "connection timed out",
  P1008: "operation timed out",
  P1017: "connection closed by the server",
  P2024: "no free connection in time",
  P2037: "too many connections (53300)",
};
// Plain Errors from pg and pg-pool, which carry no code.
const PG_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated/, "connection lost"],
  [/not queryable/, "connection lost"],
  [/timeout exceeded when trying to connect/, "no free connection in time"],
  [/^Query read timeout$/, "query timed out"],
];

/**
 * What kind of database unavailability `error` is ("connection refused", "server shutting down
 * (57P01 admin_shutdown)", ...), or null when it is something else (a bug, bad SQL). Reads pg's,
 * Node's and Prisma's errors, and the errors they wrap.
 */
export function databaseUnavailable(error: unknown, depth = 0): string | null {
  if (typeof error !== "object" || error === null || depth > 4) return null;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown }; kind?: unknown; originalCode?: unknown };
  const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : "";
  const known = UNAVAILABLE_STATES[code] ?? SOCKET_CODES[code] ?? PRISMA_CODES[code];
  if (known) return known;
  if (e.kind === "DatabaseNotReachable") return "connection refused";
  if (e.kind === "ConnectionClosed") return "connection reset";
  if (e.kind === "SocketTimeout") return "connection timed out";
  if (e.kind === "TooManyConnections") return UNAVAILABLE_STATES["53300"] as string;
  if (typeof e.message === "string") for (const [pattern, kind] of PG_MESSAGES) if (pattern.test(e.message)) return kind;
  const wrapped = [e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const inner of wrapped) {
    const kind = databaseUnavailable(inner, depth + 1);
    if (kind) return kind;
  }
  return null;
}

const REPORT_PERIOD_MS = 60_000;
/** kind -> failures not logged yet in its current period */
const reported = new Map<string, { count: number; context: string; lastMessage: string }>();

/**
 * Logs a database failure as one line: the first of its kind at once, then at most one line per
 * kind a minute, with how many there were, for as long as they go on. Returns the kind (null when
 * the error is not an availability failure; it is logged the same way, as "database error").
 */
export function reportDatabaseFailure(context: string, error: unknown): string | null {
  const kind = databaseUnavailable(error);
  const label = kind ?? "database error";
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 200);
  const period = reported.get(label);
  if (period) {
    period.count++;
    period.context = context;
    period.lastMessage = message;
    return kind;
  }
  console.error(`[db] ${context}: ${label}: ${message} (more of this kind: one line a minute)`);
  const current = { count: 0, context, lastMessage: message };
  reported.set(label, current);
  const endPeriod = () => {
    if (current.count === 0) {
      reported.delete(label);
      return;
    }
    console.error(`[db] ${label}: ${current.count} more in the last minute (last: ${current.context}: ${current.lastMessage})`);
    current.count = 0;
    setTimeout(endPeriod, REPORT_PERIOD_MS).unref();
  };
  setTimeout(endPeriod, REPORT_PERIOD_MS).unref();
  return kind;
}
