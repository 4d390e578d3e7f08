// Readiness: does the database answer? Asked on a connection of its own (never the shared pool,
// where a busy server's queue would make a healthy database look down), with a short limit on
// connecting and on the query. Probes that arrive together share one check, so an open endpoint
// cannot open connections faster than one at a time.
import pg from "pg";
import { databaseUrl } from "../../config";

export type DatabaseCheck = { ok: true; latencyMs: number } | { ok: false; problem: string };

export const READINESS_TIMEOUT_MS = 2_000;

const holder = globalThis as unknown as { dropboardReadiness?: Promise<DatabaseCheck> };

async function probe(timeoutMs: number): Promise<DatabaseCheck> {
  const started = performance.now();
  const client = new pg.Client({
    connectionString: databaseUrl(),
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "dropboard-readiness",
  });
  // A connection lost mid-probe is an answer (not ready), never an uncaught error.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // The reason stays coarse: a probe reply must not leak connection details.
    const timedOut = error instanceof Error && /timeout/i.test(error.message);
    return { ok: false, problem: timedOut ? `no answer within ${timeoutMs} ms` : "connection failed" };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function checkDatabase(timeoutMs = READINESS_TIMEOUT_MS): Promise<DatabaseCheck> {
  holder.dropboardReadiness ??= probe(timeoutMs).finally(() => {
    holder.dropboardReadiness = undefined;
  });
  return holder.dropboardReadiness;
}
