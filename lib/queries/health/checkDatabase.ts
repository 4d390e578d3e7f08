import { getPool } from "../../db/pool";

export type DatabaseCheck = { ok: true; latencyMs: number } | { ok: false; problem: string };

const TIMEOUT_MS = 2_000;

export async function checkDatabase(): Promise<DatabaseCheck> {
  const started = performance.now();
  try {
    await Promise.race([
      getPool().query("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // The reason stays coarse: a probe reply must not leak connection details.
    const message = error instanceof Error && error.message.startsWith("no answer") ? error.message : "connection failed";
    return { ok: false, problem: message };
  }
}
