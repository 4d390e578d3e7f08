// The real collector CLI (`dropboard collect`, its own process, records on stdin) and the real
// token CLI, as an operator runs them, for the fault tests.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** `dropboard <args>` to completion; its stdout, or an error with its output. */
export async function dropboardCli(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`dropboard ${args.join(" ")} exited ${code}:\n${stderr}`);
  return stdout;
}

/** N native drop records of one cluster, each with its own dedupe key, over the last 50 minutes: N drops. */
export function* nativeRecords(cluster: string, count: number, now = Date.now()): Generator<string> {
  const start = now - 50 * 60_000;
  const step = (45 * 60_000) / count;
  for (let i = 0; i < count; i++) {
    const time = new Date(start + Math.floor(i * step)).toISOString();
    yield `{"format":"native","time":"${time}","cluster":"${cluster}","verdict":"${i % 7 === 0 ? "AUDIT" : "DROPPED"}","direction":"INGRESS","srcNamespace":"web","srcWorkload":"frontend-${i % 9}","dstNamespace":"ns-${i % 15}","dstPort":${8000 + (i % 40)},"protocol":"TCP","key":"fault-${i}"}\n`;
  }
}

/** Collectors still running, so a failed test's teardown can end them (killCollectors). */
const running = new Set<ChildProcess>();

/** Ends every collector this process started that still runs. */
export function killCollectors(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export interface CollectorProcess {
  /** Exit code (0: input read and every batch sent). */
  exited: Promise<number | null>;
  log(): string;
  /** Records the server has answered for (accepted or recognised as duplicates), from the progress lines. */
  sent(): number;
  kill(): void;
}

/** `dropboard collect` reading `lines` on stdin; progress every 250 ms. */
export function startCollector(options: { server: string; token: string; spoolDir: string; lines: Iterable<string>; args?: string[] }): CollectorProcess {
  const args = [
    "collect", "--server", options.server, "--token", options.token, "--spool-dir", options.spoolDir, "--heartbeat", "off",
    "--batch", "1000", "--flush", "200ms", "--retry-base", "100ms", "--retry-max", "1s", "--timeout", "10s", "--progress", "250ms",
    "--drain-timeout", "3m", ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", ...args], { cwd: ROOT, stdio: ["pipe", "ignore", "pipe"], env: { ...process.env, DATABASE_URL: "" } });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let log = "";
  let sent = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    log = (log + text).slice(-200_000);
    for (const match of text.matchAll(/ sent (\d+) /g)) sent = Math.max(sent, Number(match[1]));
  });
  // Batches of lines, so the pipe is fed at the speed the collector reads.
  function* chunks(): Generator<string> {
    let chunk = "";
    for (const line of options.lines) {
      chunk += line;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  Readable.from(chunks()).pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { exited, log: () => log, sent: () => sent, kill: () => child.kill("SIGKILL") };
}
