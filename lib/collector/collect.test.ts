// Integration: the `dropboard collect` CLI against a real ingest server on the run's PostgreSQL,
// with the server stopped and started again under it.
import { spawn } from "node:child_process";
import { appendFile, mkdtemp, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/ingest/route";
import { storedDropCount, tokenFor, uniqueCluster } from "../testing/db";
import type { IngestServer } from "../testing/ingestServer";
import { startCollector } from "./collect";
import { parseCollectArgs } from "./options";
import { startCollectorTestServer } from "./testServer";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RECORDS = 200_000;

let server: IngestServer;
beforeAll(async () => {
  server = (await startCollectorTestServer(POST)).server;
});
afterAll(() => server.stop());

/** Small native records, unique keys, spread over the last two hours. */
function* nativeLines(cluster: string, count: number): Generator<string> {
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const time = new Date(now - 7_200_000 + Math.floor((i / count) * 7_000_000)).toISOString();
    yield `{"format":"native","time":"${time}","cluster":"${cluster}","verdict":"DROPPED","srcNamespace":"web","dstNamespace":"ns-${i % 7}","dstPort":${8000 + (i % 13)},"key":"c-${i}"}\n`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("dropboard collect", () => {
  it(
    `delivers ${RECORDS.toLocaleString("en-US")} records exactly once while the server restarts twice`,
    async () => {
      const cluster = uniqueCluster("collect");
      const token = await tokenFor("ingest", cluster);
      const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-collect-"));
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/dropboard.ts", "collect", "--server", server.url, "--token", token, "--spool-dir", spoolDir,
          "--batch", "1000", "--flush", "200ms", "--retry-base", "100ms", "--retry-max", "1s", "--progress", "2s", "--drain-timeout", "2m"],
        { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "" } },
      );
      let log = "";
      child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      const feeding = pipeline(Readable.from(nativeLines(cluster, RECORDS)), child.stdin);

      // Two outages, each while batches are in flight.
      for (const afterRequests of [40, 120]) {
        while (server.requests < afterRequests) await sleep(20);
        await server.stop();
        await sleep(1500);
        await server.start();
      }
      await feeding;
      const code = await exited;
      expect(code, log).toBe(0);
      expect(log).toContain("cannot send (network");
      expect(log).toContain("server is back");
      expect(log).toMatch(new RegExp(`read ${RECORDS} · sent ${RECORDS} .*dropped 0 .*\\(final\\)`));
      expect(await storedDropCount(cluster)).toBe(RECORDS);
    },
    240_000,
  );

  it("follows a rotating file and stops on request, keeping its place", async () => {
    const cluster = uniqueCluster("follow");
    const token = await tokenFor("ingest", cluster);
    const dir = await mkdtemp(path.join(tmpdir(), "dropboard-collect-file-"));
    const file = path.join(dir, "events.log");
    const lines = [...nativeLines(cluster, 30)];
    await writeFile(file, lines.slice(0, 10).join(""));
    const options = parseCollectArgs(["--server", server.url, "--token", token, "--file", file, "--from-start", "--spool-dir", path.join(dir, "spool"), "--flush", "100ms", "--progress", "1m"], {});
    const messages: string[] = [];
    const first = startCollector(options, { input: Readable.from([]), log: (m) => messages.push(m) });
    while (first.stats.sent < 10) await sleep(50);
    await appendFile(file, lines.slice(10, 15).join(""));
    await rename(file, `${file}.1`);
    await writeFile(file, lines.slice(15, 20).join(""));
    while (first.stats.sent < 20) await sleep(50);
    first.stop();
    expect(await first.done).toEqual({ code: 0, reason: "stopped" });

    // Written while no collector ran; the next run resumes where the first stopped.
    await appendFile(file, lines.slice(20).join(""));
    const second = startCollector(options, { input: Readable.from([]), log: (m) => messages.push(m) });
    while (second.stats.sent < 10) await sleep(50);
    second.stop();
    await second.done;
    expect(second.stats.read).toBe(10);
    expect(await storedDropCount(cluster)).toBe(30);
  }, 60_000);

  it("ships Antrea np.log text as text/plain", async () => {
    const cluster = uniqueCluster("antrea");
    const token = await tokenFor("ingest", cluster);
    const stamp = new Date(Date.now() - 120_000).toISOString();
    const prefix = `${stamp.slice(0, 10).replaceAll("-", "/")} ${stamp.slice(11, 19)}`;
    const lines = [
      `${prefix}.000001 IngressDefaultRule K8sNetworkPolicy <nil> Ingress Drop <nil> default/nettool 10.10.1.13 <nil> 10.10.1.7 <nil> ICMP 84 <nil> [3 packets in 1.0s]\n`,
      `${prefix}.000002 IngressDefaultRule AntreaNetworkPolicy:default/reject-tcp-policy RejectTCPRequest Ingress Reject 16 default/nettoolv3 10.10.1.7 53646 10.10.1.14 80 TCP 60 tcp-log-label\n`,
    ];
    const types: string[] = [];
    server.override = (request) => {
      if (new URL(request.url).pathname.endsWith("/ingest")) types.push(request.headers.get("content-type") ?? "");
      return null;
    };
    try {
      const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-collect-text-"));
      const options = parseCollectArgs(["--server", server.url, "--token", token, "--spool-dir", spoolDir, "--flush", "50ms"], {});
      const run = startCollector(options, { input: Readable.from(lines), log: () => {} });
      expect(await run.done).toEqual({ code: 0, reason: "done" });
      expect(run.stats).toMatchObject({ read: 2, sent: 2, accepted: 2, rejected: 0 });
    } finally {
      server.override = null;
    }
    expect(types).toEqual(["text/plain"]);
    expect(await storedDropCount(cluster)).toBe(4);
  });

  it("the CLI exits 2 naming a bad flag, before reading anything", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", "collect", "--server", "http://localhost:1", "--token", "t", "--batch", "0"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(2);
    expect(stderr).toContain('error: --batch: "0" is not a whole number in 1..100000');
  }, 30_000);

  it("exits 2 with a clear message when the server refuses the token, keeping the batch spooled", async () => {
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-collect-auth-"));
    const options = parseCollectArgs(["--server", server.url, "--token", "wrong", "--spool-dir", spoolDir, "--flush", "50ms"], {});
    const run = startCollector(options, { input: Readable.from(["{\"a\":1}\n"]), log: () => {} });
    const exit = await run.done;
    expect(exit).toMatchObject({ code: 2, reason: "unauthorized", message: expect.stringContaining("refused the token (HTTP 401") });
  });
});
