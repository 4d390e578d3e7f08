// The collector's `--goldmane` source against an in-process Goldmane (the real goldmane.Flows
// service from the vendored api.proto, over mTLS as Goldmane requires) streaming the Whisker fixture's
// flows as protobuf FlowResults, and the real ingest route on the run's PostgreSQL.
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/ingest/route";
import { parseRecord } from "../../ingest/formats";
import { storedDropCount, tokenFor, uniqueCluster } from "../../testing/db";
import { fixtureLines } from "../../testing/formats";
import type { IngestServer } from "../../testing/ingestServer";
import { startCollectorTestServer } from "../testServer";
import { makeCertificates, startFakeGoldmane, type FlowResultJson } from "./testGrpc";

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

type WhiskerHit = { kind: string; name: string; namespace: string; tier: string; action: string; policy_index: number; rule_index: number; trigger: WhiskerHit | null };
type WhiskerFlow = Record<string, unknown> & { policies: { enforced: WhiskerHit[]; pending: WhiskerHit[] } };

/** The Whisker fixture, plus an allowed flow that a staged policy would deny (AUDIT). */
function whiskerTemplates(): WhiskerFlow[] {
  const items = fixtureLines("goldmane").map(({ line }) => JSON.parse(line) as WhiskerFlow);
  const staged = structuredClone(items.find((item) => item.action === "Allow") as WhiskerFlow);
  staged.dest_name = "ledger-api-5cd68f8d6c-*";
  staged.dest_namespace = "payments";
  staged.policies.pending = [{ kind: "StagedNetworkPolicy", name: "default.lockdown", namespace: "payments", tier: "default", action: "Deny", policy_index: 0, rule_index: 0, trigger: null }];
  return [...items, staged];
}

/** A Whisker /flows item as the FlowResult Goldmane streams (protojson: proto names, enum names, int64 as strings). */
function flowResult(item: WhiskerFlow, id: number, start: number): FlowResultJson {
  const hit = (h: WhiskerHit): Record<string, unknown> => ({
    kind: h.kind,
    ...(h.namespace ? { namespace: h.namespace } : {}),
    ...(h.name ? { name: h.name } : {}),
    ...(h.tier ? { tier: h.tier } : {}),
    action: h.action,
    policy_index: String(h.policy_index),
    rule_index: String(h.rule_index),
    ...(h.trigger ? { trigger: hit(h.trigger) } : {}),
  });
  const labels = (text: unknown) => String(text).split(" | ").filter((label) => label !== "");
  return {
    id: String(id),
    flow: {
      Key: {
        source_name: item.source_name,
        source_namespace: item.source_namespace,
        source_type: "WorkloadEndpoint",
        dest_name: item.dest_name,
        dest_namespace: item.dest_namespace,
        dest_type: "WorkloadEndpoint",
        dest_port: String(item.dest_port),
        proto: item.protocol,
        reporter: item.reporter,
        action: item.action,
        policies: { enforced_policies: item.policies.enforced.map(hit), pending_policies: item.policies.pending.map(hit) },
      },
      start_time: String(start),
      end_time: String(start + 15),
      source_labels: labels(item.source_labels),
      dest_labels: labels(item.dest_labels),
      packets_in: String(item.packets_in),
      bytes_in: String(item.bytes_in),
    },
  };
}

/** Windows `from`..`to` (15 s each, from `base`), every template once per window. */
function windows(templates: WhiskerFlow[], base: number, from: number, to: number): FlowResultJson[] {
  const results: FlowResultJson[] = [];
  for (let w = from; w < to; w++) templates.forEach((item, i) => results.push(flowResult(item, i + 1, base + w * 15)));
  return results;
}

describe("collect --goldmane", () => {
  it("streams Calico flows over mTLS, leaves allowed flows out, resumes from the newest window less 30s, and counts each once", async () => {
    const cluster = uniqueCluster("goldmane");
    const token = await tokenFor("ingest", cluster);
    const certificates = await makeCertificates(["goldmane", "goldmane.calico-system.svc"]);
    const goldmane = await startFakeGoldmane(certificates);
    const templates = whiskerTemplates();
    // What the server's parser makes of the Whisker originals: drops per window (the allowed flow is none).
    const dropsPerWindow = templates.filter((item) => parseRecord(item, "auto").kind === "drop").length;
    expect(dropsPerWindow).toBe(3);
    const base = Math.floor(Date.now() / 15_000) * 15 - 3600;
    const spoolDir = await mkdtemp(path.join(tmpdir(), "dropboard-goldmane-"));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/dropboard.ts", "collect", "--server", server.url, "--token", token, "--goldmane", goldmane.address,
        "--tls-ca", certificates.ca, "--tls-cert", certificates.clientCert, "--tls-key", certificates.clientKey, "--tls-server-name", "goldmane",
        "--spool-dir", spoolDir, "--flush", "100ms", "--retry-base", "100ms", "--retry-max", "500ms", "--heartbeat", "off"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "" } },
    );
    let log = "";
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await until(() => goldmane.requests.length === 1, "the collector's Stream request", 20_000);
      expect(goldmane.requests[0]).toEqual({});

      goldmane.publish(windows(templates, base, 0, 4));
      await until(async () => (await storedDropCount(cluster)) === 4 * dropsPerWindow, "4 windows stored");

      await goldmane.stop();
      goldmane.remember(windows(templates, base, 4, 8));
      await sleep(700);
      await goldmane.start();
      await until(() => goldmane.requests.length === 2, "the reconnection");
      // The newest window read started at base + 45: two windows back.
      expect(goldmane.requests[1]).toEqual({ start_time_gte: String(base + 45 - 30) });

      await until(async () => (await storedDropCount(cluster)) === 8 * dropsPerWindow, "8 windows stored");
      await sleep(500);
      expect(await storedDropCount(cluster)).toBe(8 * dropsPerWindow);
      child.kill("SIGTERM");
      expect(await exited, log).toBe(0);
      expect(log).toContain(`from Goldmane at ${goldmane.address} (mTLS)`);
      expect(log).toContain(`Goldmane at ${goldmane.address}: streaming again, from ${new Date((base + 15) * 1000).toISOString()}`);
      // Allowed flows: one per window, windows 1-3 again after the resume.
      expect(log).toMatch(/duplicates [1-9]\d*, .* · goldmane: not drops 11 · reconnects 1 \(final\)/);
    } finally {
      child.kill("SIGKILL");
      await goldmane.stop();
    }
  }, 90_000);
});
