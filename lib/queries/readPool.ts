// The pool anonymous reads run on: separate from the shared pool (ingest, writes, the evaluator),
// so a burst of heavy reads cannot take ingest's connections, and bounded in time: every statement
// stops after DROPBOARD_READ_TIMEOUT_MS (PostgreSQL's statement_timeout, plus a client-side limit
// for a server that stops answering), and waiting for a connection is bounded the same way.
import pg from "pg";
import { databaseUrl } from "../config";

const holder = globalThis as unknown as { dropboardReadPool?: pg.Pool };

function positiveIntSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** How long one read statement may run (and wait for a connection) before it is cancelled. */
export function readTimeoutMs(): number {
  return positiveIntSetting("DROPBOARD_READ_TIMEOUT_MS", 10_000);
}

/** The statement ran past the read timeout, or no connection came free within it. */
export class ReadTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query did not finish within ${timeoutMs} ms`);
  }
}

export function getReadPool(): pg.Pool {
  if (!holder.dropboardReadPool) {
    const timeout = readTimeoutMs();
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: positiveIntSetting("DROPBOARD_READ_POOL_SIZE", 5),
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      // The server enforces statement_timeout; this catches a server that stops answering at all.
      query_timeout: timeout + 2_000,
      application_name: "dropboard-read",
      // Dashboard reads are short: compiling them (PostgreSQL's JIT, on by default where built with
      // LLVM) cost ~150 ms on top-path reads of a few ms, because their row estimates are high.
      options: "-c jit=off",
      allowExitOnIdle: true,
    });
    pool.on("error", (error) => console.error("[db] idle read connection error:", error.message));
    holder.dropboardReadPool = pool;
  }
  return holder.dropboardReadPool;
}

const isTimeout = (error: unknown) =>
  error instanceof Error &&
  ((error as { code?: string }).code === "57014" || // query_canceled: statement_timeout
    /timeout exceeded when trying to connect|connection timeout|Query read timeout/i.test(error.message));

/** One read statement on the read pool; a timeout becomes ReadTimeoutError. */
export async function readQuery<R extends pg.QueryResultRow>(sql: string, values: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
  try {
    return await getReadPool().query<R>(sql, [...values]);
  } catch (error) {
    if (isTimeout(error)) throw new ReadTimeoutError(readTimeoutMs());
    throw error;
  }
}

/**
 * Statements that must see one snapshot (REPEATABLE READ, read only) on one read connection;
 * timeouts become ReadTimeoutError, as readQuery's do.
 */
export async function readSnapshot<T>(work: (query: <R extends pg.QueryResultRow>(sql: string, values?: readonly unknown[]) => Promise<pg.QueryResult<R>>) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await getReadPool().connect();
  } catch (error) {
    if (isTimeout(error)) throw new ReadTimeoutError(readTimeoutMs());
    throw error;
  }
  let failed = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const result = await work((sql, values = []) => client.query(sql, [...values]));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    failed = true;
    if (isTimeout(error)) throw new ReadTimeoutError(readTimeoutMs());
    throw error;
  } finally {
    // A failed transaction's connection is closed, not reused: it may still be mid-statement.
    client.release(failed);
  }
}

export async function closeReadPool(): Promise<void> {
  const pool = holder.dropboardReadPool;
  holder.dropboardReadPool = undefined;
  await pool?.end();
}
