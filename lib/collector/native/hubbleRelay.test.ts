// The collector's `--hubble-relay` source against an in-process Hubble Relay (the real
// observer.Observer service from the vendored .proto, streaming the Hubble fixtures as protobuf) and
// the real ingest route on the run's PostgreSQL: the CLI as a user runs it, with no `hubble` binary.
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/ingest/route";
import { parseRecord } from "../../ingest/formats";
import { isObject } from "../../ingest/formats/json";
import { storedDropCount, tokenFor, uniqueCluster } from "../../testing/db";
import { fixtureLines } from "../../testing/formats";
import type { IngestServer } from "../../testing/ingestServer";
import { startCollector } from "../collect";
import { parseCollectArgs } from "../options";
import { startCollectorTestServer } from "../testServer";
import { DROP_FILTER } from "./hubbleRelay";
import { makeCertificates, startFakeRelay, type HubbleResponseJson } from "./testGrpc";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: IngestServer;
beforeAll(async () => {
  server = (await startCollectorTestServer(POST)).server;
});
afterAll(() => server.stop());

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * `count` flows made from the Hubble fixtures (Drop events, PolicyVerdict events, audit), one a
 * second from `startMs`, with nanosecond times, unique uuids and node names that carry the test's
 * cluster (Hubble Relay's "cluster/node"). Every tenth is FORWARDED, which the relay must filter out.
 */
function hubbleFlows(cluster: string, count: number, startMs: number, first = 0): HubbleResponseJson[] {
  const templates = fixtureLines("hubble")
    .map(({ line }) => JSON.parse(line) as Record<string, unknown>)
    .map((record) => (isObject(record.flow) ? record : { flow: record }) as HubbleResponseJson);
  return Array.from({ length: count }, (_, n) => {
    const i = first + n;
    const response = structuredClone(templates[i % templates.length] as HubbleResponseJson);
    const time = `${new Date(startMs + i * 1000).toISOString().slice(0, 19)}.${String(123456789 + i * 7919).slice(0, 9)}Z`;
    const node = `${cluster}/worker-${i % 3}`;
    Object.assign(response, { node_name: node, time });
    Object.assign(response.flow, { time, node_name: node, uuid: `${cluster}-${i}` });
    // The docs' exporter sample leaves out event_type; the relay always sends it.
    response.flow.event_type ??= { type: 1, sub_type: 133 };
    if (i % 10 === 7) response.flow.verdict = "FORWARDED";
    return response;
  });
}

/** What the server must end up counting for these flows: what its own parser calls a drop, of what the relay lets through. */
function expectedDrops(flows: HubbleResponseJson[]): number {
  return flows
    .filter((response) => ["DROPPED", "AUDIT"].includes(String(response.flow.verdict)))
    .filter((response) => parseRecord(response, "auto").kind === "drop").length;
}

function collectProcess(args: string[]) {
  // No `hubble` binary anywhere on the PATH: the collector speaks gRPC itself.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dropboard.ts", "collect", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: "", PATH: path.join(tmpdir(), "dropboard-no-hubble") },
  });
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, log: () => log };
}

describe("collect --hubble-relay", () => {
  it("streams drops over gRPC, resumes after the relay restarts with `since` = the last flow less 30s, and counts each drop once", async () => {
    const cluster = uniqueCluster("relay");
    const token = await tokenFor("ingest", cluster);
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-relay-"));
    const relay = await startFakeRelay();
    const flows = hubbleFlows(cluster, 90, Date.now() - 20 * 60_000);
    const args = ["--server", server.url, "--token", token, "--hubble-relay", relay.address, "--spool-dir", spoolDir,
      "--flush", "100ms", "--retry-base", "100ms", "--retry-max", "500ms", "--progress", "1s", "--heartbeat", "off"];
    const first = collectProcess(args);
    try {
      await until(() => relay.requests.length === 1, "the collector's GetFlows request", 20_000);
      expect(relay.requests[0]).toEqual({ follow: true, whitelist: [DROP_FILTER] });

      relay.publish(flows.slice(0, 40));
      await until(async () => (await storedDropCount(cluster)) === expectedDrops(flows.slice(0, 40)), "the first 40 flows stored");
      relay.publish(flows.slice(40, 60));
      await until(async () => (await storedDropCount(cluster)) === expectedDrops(flows.slice(0, 60)), "60 flows stored");

      // The relay goes away mid-stream; flows happen while it is down; it comes back.
      await relay.stop();
      relay.remember(flows.slice(60));
      await sleep(700);
      await relay.start();
      await until(() => relay.requests.length === 2, "the reconnection");
      const last = flows[59]?.flow.time as string;
      const lastSeconds = Math.floor(Date.parse(last) / 1000);
      expect(relay.requests[1]).toEqual({ follow: true, whitelist: [DROP_FILTER], since: { seconds: lastSeconds - 30, nanos: Number(last.slice(20, 29)) } });

      await until(async () => (await storedDropCount(cluster)) === expectedDrops(flows), "all 90 flows stored");
      await sleep(500);
      expect(await storedDropCount(cluster)).toBe(expectedDrops(flows));
      first.child.kill("SIGTERM");
      expect(await first.exited, first.log()).toBe(0);
      expect(first.log()).toContain(`connecting to Hubble Relay at ${relay.address}, from now on`);
      expect(first.log()).toMatch(new RegExp(`Hubble Relay at ${relay.address}: (CANCELLED|UNAVAILABLE): .*; reconnecting with backoff`));
      expect(first.log()).toContain(`Hubble Relay at ${relay.address}: streaming again, since ${last.slice(0, 11)}`);
      expect(first.log()).toMatch(/duplicates [1-9]\d*, .* · relay: lost events 0 · reconnects 1 \(final\)/);
      const cursor = JSON.parse(await readFile(path.join(spoolDir, "cursor.json"), "utf8")) as { source: string; time: number };
      expect(cursor).toEqual({ source: "hubble-relay", time: Math.floor(Date.parse(flows[89]?.flow.time as string)) });

      // A restarted collector asks from where the last one stopped.
      const second = collectProcess(args);
      await until(() => relay.requests.length === 3, "the restarted collector's request");
      const newest = Math.floor(Date.parse(flows[89]?.flow.time as string) / 1000);
      expect(relay.requests[2]?.since?.seconds).toBe(newest - 30);
      second.child.kill("SIGTERM");
      expect(await second.exited, second.log()).toBe(0);
      expect(second.log()).toContain("resuming Hubble flows from");
      expect(await storedDropCount(cluster)).toBe(expectedDrops(flows));
    } finally {
      first.child.kill("SIGKILL");
      await relay.stop();
    }
  }, 120_000);

  it("speaks mTLS to the relay: CA, client certificate and server name, as Hubble Relay's TLS options", async () => {
    const cluster = uniqueCluster("relay-tls");
    const token = await tokenFor("ingest", cluster);
    const certificates = await makeCertificates(["instance.hubble-relay.cilium.io"]);
    const relay = await startFakeRelay(certificates);
    const flows = hubbleFlows(cluster, 12, Date.now() - 5 * 60_000);
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-relay-tls-"));
    const child = collectProcess(["--server", server.url, "--token", token, "--hubble-relay", relay.address, "--spool-dir", spoolDir,
      "--tls-ca", certificates.ca, "--tls-cert", certificates.clientCert, "--tls-key", certificates.clientKey,
      "--tls-server-name", "instance.hubble-relay.cilium.io", "--flush", "100ms", "--heartbeat", "off"]);
    try {
      await until(() => relay.requests.length === 1, "the collector's request over mTLS", 20_000);
      relay.publish(flows);
      await until(async () => (await storedDropCount(cluster)) === expectedDrops(flows), "the flows stored");
      child.child.kill("SIGTERM");
      expect(await child.exited, child.log()).toBe(0);
      expect(child.log()).toContain(`from Hubble Relay at ${relay.address} (mTLS)`);

      // Without a client certificate the relay refuses the connection: retried, and said why.
      const messages: string[] = [];
      const options = parseCollectArgs(["--server", server.url, "--token", token, "--hubble-relay", relay.address, "--spool-dir", `${spoolDir}-anon`,
        "--tls-ca", certificates.ca, "--tls-server-name", "instance.hubble-relay.cilium.io", "--retry-base", "100ms", "--retry-max", "200ms", "--heartbeat", "off"], {});
      const anonymous = startCollector(options, { input: Readable.from([]), log: (m) => messages.push(m) });
      await until(() => messages.some((m) => m.includes("reconnecting with backoff")), "the refused connection logged");
      anonymous.stop();
      expect(await anonymous.done).toEqual({ code: 0, reason: "stopped" });
      expect(relay.requests).toHaveLength(1);
      expect(messages.find((m) => m.includes("reconnecting with backoff"))).toMatch(/^Hubble Relay at 127\.0\.0\.1:\d+ \(TLS\): UNAVAILABLE: /);
    } finally {
      child.child.kill("SIGKILL");
      await relay.stop();
    }
  }, 60_000);

  it("stops with exit 2 when the address is not Hubble Relay (UNIMPLEMENTED)", async () => {
    // A Goldmane server has no observer.Observer service.
    const certificates = await makeCertificates(["goldmane"]);
    const { startFakeGoldmane } = await import("./testGrpc");
    const goldmane = await startFakeGoldmane(certificates);
    try {
      const options = parseCollectArgs(["--server", server.url, "--token", "t", "--hubble-relay", goldmane.address, "--spool-dir", await mkdtemp(path.join(tmpdir(), "dropboard-relay-wrong-")),
        "--tls-ca", certificates.ca, "--tls-cert", certificates.clientCert, "--tls-key", certificates.clientKey, "--tls-server-name", "goldmane", "--heartbeat", "off"], {});
      const run = startCollector(options, { input: Readable.from([]), log: () => {} });
      expect(await run.done).toMatchObject({ code: 2, reason: "misconfigured", message: expect.stringContaining("UNIMPLEMENTED") });
    } finally {
      await goldmane.stop();
    }
  });
});
