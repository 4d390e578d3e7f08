// `npm start [-- --demo] [-- --port N]`: database (embedded unless DATABASE_URL), migrations,
// optionally the demo week, a production build when there is none (or it is older than the
// source), then `next start` on PORT (default 3000).
import net from "node:net";
import { loadDemo, startDemoFeed } from "../lib/demo/generateDemo";
import { migrate } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { startDatabase } from "./lib/database";
import { ensureProductionBuild } from "./lib/build";
import { NEXT_BIN, spawnNode } from "./lib/process";

const log = (line: string) => console.log(`[dropboard] ${line}`);
const args = process.argv.slice(2);
const dev = args.includes("--dev");
const portArg = args.indexOf("--port");
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? 3000));
const host = process.env.HOST ?? "0.0.0.0";

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
  let stopDemoFeed = () => undefined as void;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stopDemoFeed();
    await closePool().catch(() => undefined);
    await database.close().catch((error) => console.error(error));
    process.exit(code);
  };
  try {
    const applied = await migrate(database.url);
    log(applied.length ? `migrations applied: ${applied.join(", ")}` : "database schema is up to date");
    if (args.includes("--demo")) {
      log("loading the demo week (clusters demo-eu and demo-us)...");
      process.env.DATABASE_URL = database.url;
      const loadedAt = new Date();
      const stored = await loadDemo({ now: loadedAt });
      log(`demo loaded: ${stored.toLocaleString("en-US")} drops; its clusters keep sending while this runs`);
      stopDemoFeed = startDemoFeed(loadedAt);
    }
    const env = { ...process.env, DATABASE_URL: database.url, PORT: String(port) };
    if (!dev) await ensureProductionBuild(env, log);
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
