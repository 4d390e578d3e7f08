// What the query benchmarks (queries.ts, overviewRender.ts) share: the production server on a
// scratch database, and lib/db pointed at that database while a step loads or reads it in-process.
import { freePort } from "../../lib/db/embedded";
import { closePool } from "../../lib/db/pool";
import { closeReadPool } from "../../lib/queries/readPool";
import type { OpenDatabase } from "../lib/database";
import { NEXT_BIN, spawnNode } from "../lib/process";

export async function withServer<T>(database: OpenDatabase, work: (base: string) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const port = await freePort();
  // Retention off: the bench keeps 30 days of raw rows, and dropping old partitions mid-run would
  // take locks the measured reads then wait on.
  const server = spawnNode(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    ...process.env,
    DATABASE_URL: database.url,
    NODE_ENV: "production",
    DROPBOARD_RETENTION: "off",
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; !(await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)); i++) {
      if (i > 200) throw new Error("server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return await work(base);
  } finally {
    server.kill("SIGTERM");
  }
}

/** The scratch database's URL in DATABASE_URL while `work` runs (lib/db reads it), then the caller's value again. */
export async function usingDatabase<T>(url: string, work: () => Promise<T>): Promise<T> {
  const outer = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    await closePool();
    await closeReadPool();
    if (outer === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = outer;
  }
}
