// Which PostgreSQL a script talks to: DATABASE_URL when set, else the embedded one under
// DROPBOARD_DATA_DIR (default ./.dropboard).
import path from "node:path";
import { findRunningEmbedded, startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";

export interface OpenDatabase {
  url: string;
  description: string;
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
  if (running) return { url: running, description: "the running server's embedded PostgreSQL", close: async () => undefined };
  return startDatabase(log);
}
