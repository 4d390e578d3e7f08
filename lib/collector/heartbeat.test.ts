// The collector's heartbeat against an in-process server with a stand-in heartbeat route (no database).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type CollectorRun } from "./collect";
import { parseCollectArgs } from "./options";
import { Spool } from "./spool";
import { fakeIngest, startCollectorTestServer, type CollectorTestServer } from "./testServer";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (i: number) => `{"format":"native","time":"${new Date().toISOString()}","verdict":"DROPPED","dstNamespace":"ns","key":"hb-${i}"}\n`;

let verdict: "accepted" | "ignored" = "accepted";
let test: CollectorTestServer;
beforeAll(async () => {
  test = await startCollectorTestServer(fakeIngest(() => verdict));
});
afterAll(() => test.server.stop());

async function start(extra: string[], input: NodeJS.ReadableStream = new PassThrough()) {
  const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-heartbeat-"));
  const options = parseCollectArgs(["--server", test.server.url, "--token", "tok", "--spool-dir", spoolDir, "--flush", "30ms", "--progress", "1m", ...extra], {});
  const messages: string[] = [];
  const run = startCollector(options, { input, log: (m) => messages.push(m) });
  return { run, messages, spoolDir };
}

/** Writes a record every `everyMs` for `forMs`. */
async function trickle(input: PassThrough, from: number, forMs: number, everyMs: number): Promise<number> {
  const end = Date.now() + forMs;
  let i = from;
  while (Date.now() < end) {
    input.write(record(i++));
    await sleep(everyMs);
  }
  return i;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function finish(run: CollectorRun, input?: PassThrough) {
  if (input) input.end();
  else run.stop();
  return run.done;
}

describe("collector heartbeat", () => {
  it("checks in while input is idle, not while batches flow, and again once they stop", async () => {
    verdict = "accepted";
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      test.heartbeats.length = 0;
      const input = new PassThrough();
      const { run, messages } = await start(["--heartbeat", "500ms", "--cluster", "prod-eu"], input);

      // Idle: one on start, then one every interval (waited for, not slept: a busy machine is slow).
      await until(() => test.heartbeats.length >= 3, "three heartbeats while idle");
      expect(test.heartbeats[0]).toMatchObject({ authorization: "Bearer tok", body: { cluster: "prod-eu", collector: expect.stringMatching(/:stdin$/) } });

      // Flowing: every ingest reply is a check-in, so no heartbeat is due.
      const ingestsBefore = test.ingests.length;
      const flowing = trickle(input, 0, 1500, 25);
      await until(() => test.ingests.length > ingestsBefore, "the first batch");
      const flowStart = Date.now();
      const sent = await flowing;
      const flowEnd = Date.now();
      expect(test.ingests.length - ingestsBefore).toBeGreaterThan(10);
      expect(test.heartbeats.filter((h) => h.at > flowStart && h.at < flowEnd)).toEqual([]);

      // Idle again: heartbeats resume an interval after the last batch.
      await until(() => test.heartbeats.some((h) => h.at > flowEnd), "a heartbeat after the flow stopped");
      expect(await finish(run, input)).toEqual({ code: 0, reason: "done" });
      expect(run.stats).toMatchObject({ read: sent, accepted: sent });
      expect(messages.filter((m) => m.includes("heartbeat"))).toEqual([]);
      // Every idle wait removed its abort listener (one per batch used to pile up).
      expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("keeps checking in while every record is ignored (nothing is filed under a cluster)", async () => {
    verdict = "ignored";
    try {
      test.heartbeats.length = 0;
      const input = new PassThrough();
      const { run } = await start(["--heartbeat", "300ms"], input);
      await until(() => test.heartbeats.length >= 1, "the first heartbeat");
      const flowStart = Date.now();
      await trickle(input, 0, 1300, 25);
      expect(test.heartbeats.filter((h) => h.at > flowStart).length).toBeGreaterThanOrEqual(3);
      expect(test.heartbeats[0]?.body).not.toHaveProperty("cluster");
      expect(await finish(run, input)).toEqual({ code: 0, reason: "done" });
      expect(run.stats.ignored).toBe(run.stats.read);
    } finally {
      verdict = "accepted";
    }
  });

  it("a failed heartbeat is logged once per kind, never stops or delays batches, and recovery is said", async () => {
    test.heartbeats.length = 0;
    let answer: "404" | "hang" | "503" = "404";
    let attempts = 0;
    test.heartbeatAnswer = async () => {
      attempts++;
      if (answer === "hang") return new Promise<Response>(() => {});
      if (answer === "503") return Response.json({ error: { message: "starting" } }, { status: 503 });
      return new Response("Not Found", { status: 404 });
    };
    try {
      const input = new PassThrough();
      const { run, messages } = await start(["--heartbeat", "150ms", "--timeout", "5s"], input);
      await until(() => attempts >= 4, "four heartbeats answered 404");
      answer = "hang";
      // A heartbeat the server never answers holds up no batch.
      const ingestsBefore = test.ingests.length;
      await sleep(200);
      input.write(record(1));
      await until(() => test.ingests.length > ingestsBefore, "the batch sent while a heartbeat hangs", 2000);
      answer = "503";
      const seen = attempts;
      await until(() => attempts >= seen + 3, "heartbeats answered 503");
      test.heartbeatAnswer = null;
      await until(() => messages.some((m) => m.startsWith("heartbeat: checked in again")), "a heartbeat that gets through");
      expect(await finish(run, input)).toEqual({ code: 0, reason: "done" });
      const said = messages.filter((m) => m.includes("heartbeat"));
      expect(said.filter((m) => m.startsWith("heartbeat failed (HTTP 404: Not Found) (this server has no /api/v1/heartbeat yet"))).toHaveLength(1);
      expect(said.filter((m) => m.startsWith("heartbeat failed (network: no answer within"))).toHaveLength(1);
      expect(said.filter((m) => m.startsWith("heartbeat failed (HTTP 503: starting)"))).toHaveLength(1);
      expect(said.at(-1)).toMatch(/^heartbeat: checked in again after \d+ failed heartbeat\(s\)$/);
      expect(run.stats).toMatchObject({ read: 1, accepted: 1 });
    } finally {
      test.heartbeatAnswer = null;
    }
  });

  it("a token refused on a heartbeat stops the collector (exit 2), its batches kept in the spool", async () => {
    // The token is revoked after the first heartbeat, while the server is not taking batches.
    let beats = 0;
    test.heartbeatAnswer = async () =>
      beats++ === 0 ? Response.json({ cluster: "default", at: new Date().toISOString() }) : Response.json({ error: { code: "unauthorized", message: "token revoked" } }, { status: 401 });
    const down = (request: Request) => (new URL(request.url).pathname.endsWith("/ingest") ? new Response("", { status: 503 }) : null);
    test.server.override = down;
    try {
      const { run, spoolDir } = await start(["--heartbeat", "200ms", "--retry-base", "1s"], Readable.from([record(1), record(2)]));
      const exit = await run.done;
      expect(exit).toEqual({ code: 2, reason: "unauthorized", message: expect.stringContaining("refused the token on a heartbeat (HTTP 401: token revoked); check --token; unsent batches stay in") });
      const spool = await Spool.open(spoolDir, 1e9);
      expect(spool.records).toBe(2);
      await spool.close();
    } finally {
      test.heartbeatAnswer = null;
      test.server.override = null;
    }
  });

  it("--heartbeat off sends none", async () => {
    test.heartbeats.length = 0;
    const { run } = await start(["--heartbeat", "off"]);
    await sleep(400);
    run.stop();
    expect(await run.done).toEqual({ code: 0, reason: "stopped" });
    expect(test.heartbeats).toEqual([]);
  });
});
