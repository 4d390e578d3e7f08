// The agent's metrics on --metrics-port: a real collector whose server is down spools what it reads;
// the scrape shows the records read, spooled and retried, the delivery lag, and the spool's bound.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { startCollector } from "../collector/collect";
import { parseCollectArgs } from "../collector/options";
import { parseExposition, sampleValue } from "./parseExposition";
import { readSpool, registerAgentMetrics, serveMetrics, takeMetricsPort } from "./agent";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dropboard-agent-metrics-"));
  dirs.push(dir);
  return dir;
};

describe("--metrics-port", () => {
  it("is taken out of the collect arguments, and must be a port", () => {
    expect(takeMetricsPort(["--server", "http://x", "--metrics-port", "9464", "--token", "t"])).toEqual({ port: 9464, rest: ["--server", "http://x", "--token", "t"] });
    expect(takeMetricsPort(["--metrics-port=9100"])).toEqual({ port: 9100, rest: [] });
    expect(takeMetricsPort(["--server", "http://x"])).toEqual({ port: null, rest: ["--server", "http://x"] });
    expect(() => takeMetricsPort(["--metrics-port", "http"])).toThrow(/not a TCP port/);
    expect(() => takeMetricsPort(["--metrics-port"])).toThrow(/not a TCP port/);
  });
});

describe("readSpool", () => {
  it("counts the batches, records and bytes waiting, and the oldest one's age", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "0000000000000001.r40.gz"), Buffer.alloc(100));
    await writeFile(path.join(dir, "0000000000000002-1.r7.txt.gz"), Buffer.alloc(10));
    await writeFile(path.join(dir, "collector.lock"), "1");
    await writeFile(path.join(dir, ".tmp-0000000000000003.r1.gz"), "x");
    const old = new Date(Date.now() - 90_000);
    await utimes(path.join(dir, "0000000000000001.r40.gz"), old, old);
    const spool = await readSpool(dir);
    expect(spool).toMatchObject({ batches: 2, records: 47, bytes: 110 });
    expect(spool.oldestAgeSeconds).toBeGreaterThan(85);
    expect(await readSpool(path.join(dir, "missing"))).toEqual({ batches: 0, records: 0, bytes: 0, oldestAgeSeconds: 0 });
  });
});

describe("the agent's /metrics", () => {
  it("shows a collector whose server is down: records read and spooled, retries, lag", async () => {
    const spoolDir = path.join(await tempDir(), "spool");
    // Nothing listens on port 9 of loopback: every send fails and is retried.
    const options = parseCollectArgs(
      ["--server", "http://127.0.0.1:9", "--token", "t", "--spool-dir", spoolDir, "--flush", "50ms", "--batch", "10", "--heartbeat", "off", "--retry-base", "50ms", "--retry-max", "100ms", "--spool-max", "64MiB"],
      {},
    );
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ format: "native", time: new Date().toISOString(), verdict: "DROPPED", key: `a${i}` }) + "\n");
    // stdin that stays open: the collector keeps running (and retrying) until stopped.
    const input = new Readable({ read() {} });
    for (const line of lines) input.push(line);
    const run = startCollector(options, { input, log: () => {} });
    const registry = new Registry();
    registerAgentMetrics({ stats: run.stats, spoolDir, spoolMaxBytes: options.spoolMaxBytes, native: null }, registry);
    const server = await serveMetrics(0, registry);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect.poll(async () => sampleValue(parseExposition(await (await fetch(`${url}/metrics`)).text()).samples, "dropboard_agent_retries_total"), { timeout: 10_000 }).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await fetch(`${url}/metrics`);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      const { samples, types } = parseExposition(await response.text());
      expect(sampleValue(samples, "dropboard_agent_records_read_total")).toBe(25);
      expect(sampleValue(samples, "dropboard_agent_records_sent_total")).toBe(0);
      expect(sampleValue(samples, "dropboard_agent_spooled_records")).toBe(25);
      expect(sampleValue(samples, "dropboard_agent_spooled_batches")).toBe(3);
      expect(sampleValue(samples, "dropboard_agent_spool_bytes")).toBeGreaterThan(0);
      expect(sampleValue(samples, "dropboard_agent_spool_max_bytes")).toBe(64 * 1024 * 1024);
      expect(sampleValue(samples, "dropboard_agent_lag_seconds")).toBeGreaterThanOrEqual(1);
      expect(sampleValue(samples, "dropboard_agent_records_dropped_total")).toBe(0);
      expect(types.get("dropboard_agent_records_read_total")).toBe("counter");
      expect(types.get("dropboard_agent_lag_seconds")).toBe("gauge");
      expect(types.has("dropboard_agent_source_position_timestamp_seconds")).toBe(false);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/other`)).status).toBe(404);
    } finally {
      run.stop();
      input.push(null);
      await run.done;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("reads a native source's position from the cursor it saves", async () => {
    const spoolDir = await tempDir();
    const registry = new Registry();
    const stats = { read: 0, sent: 0, accepted: 0, duplicates: 0, ignored: 0, rejected: 0, refused: 0, dropped: 0, retries: 0 };
    registerAgentMetrics({ stats, spoolDir, spoolMaxBytes: 1, native: "hubble-relay" }, registry);
    expect(parseExposition(await registry.metrics()).samples.some((s) => s.name === "dropboard_agent_source_position_timestamp_seconds")).toBe(false);
    await writeFile(path.join(spoolDir, "cursor.json"), JSON.stringify({ source: "hubble-relay", time: 1_700_000_000_000 }));
    const { samples } = parseExposition(await registry.metrics());
    expect(sampleValue(samples, "dropboard_agent_source_position_timestamp_seconds", { source: "hubble-relay" })).toBe(1_700_000_000);
  });
});
