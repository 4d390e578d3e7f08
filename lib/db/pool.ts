// The one PostgreSQL connection pool of a process; Prisma shares it through its pg adapter.
import pg from "pg";
import { databaseUrl } from "../config";

const holder = globalThis as unknown as { dropboardPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (!holder.dropboardPool) {
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: Number(process.env.DROPBOARD_DB_POOL_SIZE ?? 10),
      idleTimeoutMillis: 30_000,
      application_name: "dropboard",
    });
    // An idle client losing its connection must not crash the server; the next query reconnects.
    pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
    holder.dropboardPool = pool;
  }
  return holder.dropboardPool;
}

export async function closePool(): Promise<void> {
  const pool = holder.dropboardPool;
  holder.dropboardPool = undefined;
  await pool?.end();
}
