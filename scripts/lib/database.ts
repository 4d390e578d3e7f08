// Which PostgreSQL a script talks to: DATABASE_URL when set, else the embedded one under
// DROPBOARD_DATA_DIR (default ./.dropboard).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { findRunningEmbedded, startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";

export interface OpenDatabase {
  url: string;
  description: string;
  /** Said to the user before anything is written: e.g. that no running server uses this database. */
  warning?: string;
  close(): Promise<void>;
}

export function dataRoot(): string {
  return path.resolve(process.env.DROPBOARD_DATA_DIR ?? ".dropboard");
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** For the server: the external database, or a freshly started embedded one. */
export async function startDatabase(log: (line: string) => void): Promise<OpenDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, description: `PostgreSQL at ${redact(external)}`, close: async () => undefined };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ rootDir: dataRoot(), log });
  return {
    url: embedded.url,
    description: `embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}`,
    close: () => embedded.stop(),
  };
}

/** For the CLI: the external database, the embedded one a running server holds, or start it briefly. */
export async function connectDatabase(log: (line: string) => void): Promise<OpenDatabase> {
  if (process.env.DATABASE_URL) return startDatabase(log);
  const running = await findRunningEmbedded(dataRoot());
  if (running) return { url: running, description: `the running server's embedded PostgreSQL (data in ${dataRoot()})`, close: async () => undefined };
  const started = await startDatabase(log);
  return {
    ...started,
    warning:
      `no running Dropboard uses ${dataRoot()}: started its embedded PostgreSQL briefly. A server started with another ` +
      "DROPBOARD_DATA_DIR (or DATABASE_URL) will not see what this command writes: run it with the server's settings.",
  };
}

/**
 * A fresh, empty database of its own for one test or benchmark run: a new database on the
 * server DATABASE_URL names, or a throwaway embedded PostgreSQL. `close` removes it.
 */
export async function scratchDatabase(options: { label: string; unsafeFast: boolean }): Promise<OpenDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `dropboard_${options.label}_${Date.now().toString(36)}_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `database ${name} on ${url.host}`,
      async close() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const rootDir = await mkdtemp(path.join(os.tmpdir(), `dropboard-${options.label}-`));
  const embedded = await startEmbeddedPostgres({
    rootDir,
    ephemeral: true,
    unsafeFast: options.unsafeFast,
    database: `dropboard_${options.label}`,
    log: () => undefined,
  });
  return { url: embedded.url, description: `embedded PostgreSQL on port ${embedded.port} (${rootDir})`, close: () => embedded.stop() };
}
