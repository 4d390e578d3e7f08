// Child processes for the scripts: Next.js is spawned directly (not via npx, which orphans
// next-server when killed, STACK.md trap 10) and signals are forwarded.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const NEXT_BIN = require.resolve("next/dist/bin/next");

export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // Next's telemetry notice on first start is noise to an SRE; an operator may still turn it on.
  return spawn(process.execPath, [script, ...args], { stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...env } });
}

/** Runs to completion; resolves with the exit code (signals count as failure). */
export function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(script, args, env);
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
