// Integration: GET /metrics on the run's real PostgreSQL. Ingest batches, rejections, refusals and
// webhook attempts are counted where they happen; pending counts, rollout verdicts and cluster
// check-ins are read at scrape time; every name follows Prometheus' conventions.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as INGEST } from "@/app/api/v1/ingest/route";
import { GET as METRICS } from "@/app/metrics/route";
import { closePool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createRollout, newId, recordTransition } from "@/lib/rollouts/manage";
import { deliverDueWebhooks } from "@/lib/rollouts/webhooks";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { parseExposition, type Sample } from "./parseExposition";
import { countIngestRefused, rejectionReason, rejectionsByReason, webhookOutcome } from "./server";

async function scrape() {
  const response = await METRICS();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const native = (cluster: string, i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: "native", time: minutesAgo(5), cluster, verdict: "DROPPED", srcNamespace: "web", dstNamespace: "shop", dstPort: 80, key: `m${i}`, ...extra });

describe("rejection reasons", () => {
  it("fall in a few bounded classes", () => {
    expect(rejectionReason('cluster: the record is from cluster "b", but the token may only write "a"')).toBe("cluster_not_allowed");
    expect(rejectionReason("time: 2020-01-01T00:00:00.000Z is older than the 14-day raw retention (accepted from ...)")).toBe("too_old");
    expect(rejectionReason("time: 2999-01-01T00:00:00.000Z is more than 10 minutes in the future (clock skew allowance)")).toBe("in_future");
    expect(rejectionReason("not valid JSON: Unexpected token")).toBe("malformed");
    expect(rejectionReason("matches no known format (tried hubble, calico)")).toBe("unknown_format");
    expect(rejectionReason('start_time: missing or not UNIX seconds')).toBe("invalid_time");
    expect(rejectionReason("dstPort: Too big")).toBe("invalid_field");
    expect(rejectionReason("the server could not read this record (its log has the details); it was skipped")).toBe("server_error");
  });

  it("past the 100 listed, a batch's rejections are split like the listed ones, exactly", () => {
    const rejected = [...Array.from({ length: 75 }, () => ({ reason: "not valid JSON: x" })), ...Array.from({ length: 25 }, () => ({ reason: "x: in the future" }))];
    const split = rejectionsByReason({ rejected, rejectedCount: 1001 });
    expect([...split.values()].reduce((a, b) => a + b, 0)).toBe(1001);
    expect(split.get("malformed")).toBe(751);
    expect(split.get("in_future")).toBe(250);
    expect(rejectionsByReason({ rejected: [], rejectedCount: 0 }).size).toBe(0);
  });

  it("webhook outcomes too", () => {
    expect(webhookOutcome(null)).toBe("delivered");
    expect(webhookOutcome("HTTP 500")).toBe("http_error");
    expect(webhookOutcome("timeout after 10 s")).toBe("timeout");
    expect(webhookOutcome("refused: private address")).toBe("refused");
    expect(webhookOutcome("connection refused")).toBe("network_error");
    expect(webhookOutcome("the rollout no longer has a webhook URL")).toBe("no_url");
  });
});

describe("GET /metrics", () => {
  let token: string;
  let cluster: string;
  beforeAll(async () => {
    cluster = uniqueCluster("metrics");
    token = await tokenFor("ingest", cluster);
  });

  it("counts ingest records by format and outcome, rejections by reason, and the batch's latency", async () => {
    const before = (await scrape()).samples;
    const body = [native(cluster, 1), native(cluster, 2), native(cluster, 1), "{not json", native(cluster, 3, { cluster: "someone-else" }), native(cluster, 4, { time: "2999-01-01T00:00:00Z" })].join("\n");
    const response = await INGEST(ingestRequest(body, { token, query: "?format=native" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 2, duplicates: 1, rejectedCount: 3 });
    const { samples, types } = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(samples, name, labels) - value(before, name, labels);
    expect(delta("dropboard_ingest_records_total", { format: "native", outcome: "accepted" })).toBe(2);
    expect(delta("dropboard_ingest_records_total", { format: "native", outcome: "duplicate" })).toBe(1);
    expect(delta("dropboard_ingest_records_total", { format: "native", outcome: "rejected" })).toBe(3);
    expect(delta("dropboard_ingest_rejected_records_total", { reason: "malformed" })).toBe(1);
    expect(delta("dropboard_ingest_rejected_records_total", { reason: "cluster_not_allowed" })).toBe(1);
    expect(delta("dropboard_ingest_rejected_records_total", { reason: "in_future" })).toBe(1);
    expect(delta("dropboard_ingest_batch_duration_seconds_count", { format: "native" })).toBe(1);
    expect(types.get("dropboard_ingest_batch_duration_seconds")).toBe("histogram");
    // The cluster checked in with that request: its gauge is a Unix time of about now.
    const checkin = value(samples, "dropboard_cluster_last_checkin_timestamp_seconds", { cluster });
    expect(Math.abs(checkin - Date.now() / 1000)).toBeLessThan(120);
    expect(value(samples, "dropboard_scrape_database_success")).toBe(1);
    expect(samples.some((s) => s.name === "dropboard_pending_count_rows" && s.value >= 0)).toBe(true);
    expect(samples.some((s) => s.name === "dropboard_pending_drops" && s.value >= 0)).toBe(true);
  });

  it("counts requests refused as busy or with the database down", async () => {
    const before = (await scrape()).samples;
    countIngestRefused("busy");
    const after = (await scrape()).samples;
    expect(value(after, "dropboard_ingest_refused_requests_total", { reason: "busy" }) - value(before, "dropboard_ingest_refused_requests_total", { reason: "busy" })).toBe(1);
    expect(after.some((s) => s.name === "dropboard_ingest_refused_requests_total" && s.labels.reason === "database_unavailable")).toBe(true);
  });

  it("shows each active rollout's verdict, one-hot, and leaves out complete and rolled-back ones", async () => {
    const rolloutCluster = uniqueCluster("verdict");
    const active = await createRollout({ name: "default-deny shop", policies: [], clusters: [rolloutCluster], budget: { maxNewPaths: 0 } });
    await recordTransition(active.id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(30) }, "ci", new Date());
    const back = await createRollout({ name: "rolled back", policies: [], clusters: [rolloutCluster], budget: { maxNewPaths: 0 } });
    await recordTransition(back.id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(30) }, "ci", new Date());
    await recordTransition(back.id, { stage: "ROLLED_BACK", namespaces: [], classes: [], at: minutesAgo(10) }, "ci", new Date());
    await getPrisma().rollout.updateMany({ where: { id: { in: [active.id, back.id] } }, data: { lastVerdict: "BREACHED" } });
    const { samples } = await scrape();
    const series = samples.filter((s) => s.name === "dropboard_rollout_verdict" && s.labels.rollout_id === active.id);
    expect(series).toHaveLength(5);
    expect(series.find((s) => s.value === 1)?.labels).toEqual({ rollout_id: active.id, rollout: "default-deny shop", stage: "CANARY", verdict: "BREACHED" });
    expect(samples.some((s) => s.name === "dropboard_rollout_verdict" && s.labels.rollout_id === back.id)).toBe(false);
  });

  it("counts webhook delivery attempts by outcome, and messages given up", async () => {
    process.env.DROPBOARD_WEBHOOK_ALLOW = "127.0.0.1";
    let status = 500;
    const server = createServer((req, res) => req.resume().on("end", () => res.writeHead(status).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const { id } = await createRollout({ name: "hooked", policies: [], clusters: [uniqueCluster("hook")], budget: { maxNewPaths: 0 }, webhookUrl: url });
      const queue = (attempts: number) =>
        getPrisma().webhookDelivery.create({ data: { id: newId(), rolloutId: id, verdict: "BREACHED", payload: { text: "x" }, attempts, nextAttemptAt: new Date(Date.now() - 1000) } });
      const before = (await scrape()).samples;
      await queue(5); // its last attempt: fails, and is given up
      await deliverDueWebhooks(new Date(), [id]);
      status = 204;
      await queue(0);
      await deliverDueWebhooks(new Date(), [id]);
      const after = (await scrape()).samples;
      const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
      expect(delta("dropboard_webhook_delivery_attempts_total", { outcome: "http_error" })).toBe(1);
      expect(delta("dropboard_webhook_delivery_attempts_total", { outcome: "delivered" })).toBe(1);
      expect(delta("dropboard_webhook_deliveries_abandoned_total")).toBe(1);
    } finally {
      delete process.env.DROPBOARD_WEBHOOK_ALLOW;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("follows Prometheus naming: counters end in _total, units in names, help and type for each", async () => {
    const response = await METRICS();
    const text = await response.text();
    const { types } = parseExposition(text);
    const ours = [...types].filter(([name]) => name.startsWith("dropboard_"));
    expect(ours.length).toBeGreaterThanOrEqual(11);
    for (const [name, type] of ours) {
      expect(text).toContain(`# HELP ${name} `);
      if (type === "counter") expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      if (type === "histogram") expect(name).toMatch(/_seconds$/);
      expect(name).toMatch(/^[a-z_]+$/);
    }
    // The process's own metrics come along (restarts and memory show without another exporter).
    expect(types.has("process_start_time_seconds")).toBe(true);
  });

  it("still answers when the database does not, and says so", async () => {
    const realUrl = process.env.DATABASE_URL;
    await closePool();
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    try {
      const { samples } = await scrape();
      expect(value(samples, "dropboard_scrape_database_success")).toBe(0);
      expect(samples.some((s) => s.name === "dropboard_rollout_verdict")).toBe(false);
      expect(samples.some((s) => s.name === "dropboard_ingest_records_total")).toBe(true);
    } finally {
      await closePool();
      process.env.DATABASE_URL = realUrl;
    }
  });
});

afterAll(async () => {
  await closePool();
});
