// The production server as it runs in a deployment: `next start` on a built app (the build in
// DROPBOARD_DIST_DIR; `npm test -- faults` makes it), its own process group, so the fault tests can
// kill -9 it (and anything it spawned) and start it again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve("next/dist/bin/next");
const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ProductionServer {
  url: string;
  /** The server's output so far (the last 200 lines). */
  log(): string;
  /** True while the process runs; it is never restarted behind the test's back. */
  running(): boolean;
  /** How often the process ended without the test ending it. */
  unexpectedExits(): number;
  start(): Promise<void>;
  /** SIGKILL to the whole process group: no shutdown hook runs, requests in flight are cut. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProductionServer(options: { port: number; env: Record<string, string> }): Promise<ProductionServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const lines: string[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let ending = false;
  let unexpected = 0;

  const record = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim() !== "") lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };

  const server: ProductionServer = {
    url,
    log: () => lines.join("\n"),
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    unexpectedExits: () => unexpected,
    async start() {
      ending = false;
      const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env, NODE_ENV: "production" };
      const started = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(options.port), "-H", "127.0.0.1"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      child = started;
      started.stdout?.on("data", record);
      started.stderr?.on("data", record);
      exited = new Promise((resolve) =>
        started.once("exit", (code, sig) => {
          if (!ending) unexpected++;
          lines.push(`[faults] server exited (${sig ?? code})`);
          resolve();
        }),
      );
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (!server.running()) throw new Error(`the server exited while starting:\n${server.log()}`);
        const ok = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`the server did not answer /api/v1/health within 60 s:\n${server.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async kill9() {
      const pid = child?.pid;
      if (pid === undefined || !server.running()) return;
      ending = true;
      process.kill(-pid, "SIGKILL");
      await exited;
    },
    async stop() {
      const pid = child?.pid;
      if (pid === undefined || !server.running()) return;
      ending = true;
      process.kill(-pid, "SIGTERM");
      const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!gone) {
        process.kill(-pid, "SIGKILL");
        await exited;
      }
    },
  };
  await server.start();
  return server;
}
