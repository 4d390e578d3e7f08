// `npm start`: database (embedded unless DATABASE_URL), migrations, a production build when
// there is none (or it is older than the source), then `next start` on PORT (default 3000).
import { existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { migrate } from "../lib/db/migrate";
import { startDatabase } from "./lib/database";
import { NEXT_BIN, run, spawnNode } from "./lib/process";

const log = (line: string) => console.log(`[dropboard] ${line}`);
const args = process.argv.slice(2);
const dev = args.includes("--dev");
const portArg = args.indexOf("--port");
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? 3000));
const host = process.env.HOST ?? "0.0.0.0";

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(): boolean {
  const buildId = path.join(".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return ["app", "components", "lib"].every((dir) => !existsSync(dir) || newestSourceMtime(dir) <= built);
}

function portIsFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(candidate, host, () => probe.close(() => resolve(true)));
  });
}

async function main(): Promise<number> {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${port}"`);
  if (!(await portIsFree(port))) throw new Error(`port ${port} is already in use; set PORT (e.g. PORT=3001 npm start)`);

  const database = await startDatabase(log);
  log(`database: ${database.description}`);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await database.close().catch((error) => console.error(error));
    process.exit(code);
  };
  try {
    const applied = await migrate(database.url);
    log(applied.length ? `migrations applied: ${applied.join(", ")}` : "database schema is up to date");
    const env = { ...process.env, DATABASE_URL: database.url, PORT: String(port) };
    if (!dev && !buildIsCurrent()) {
      log("building the dashboard (first start, or the source changed)...");
      const built = await run(NEXT_BIN, ["build"], { ...env, NODE_ENV: "production" });
      if (built !== 0) throw new Error("next build failed");
    }
    log(`dashboard: http://localhost:${port}`);
    const server = spawnNode(NEXT_BIN, [dev ? "dev" : "start", "-p", String(port), "-H", host], env);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        log(`stopping (${signal})`);
        server.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
      });
    }
    server.once("exit", (code, signal) => void stop(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
    return await new Promise<number>(() => undefined);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`[dropboard] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
