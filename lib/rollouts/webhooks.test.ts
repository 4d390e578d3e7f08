// Integration: verdict changes become webhook messages, delivered with retries, on real PostgreSQL.
// The test's webhook servers listen on loopback, which only the operator allow-list lets through.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../db/prisma";
import { ingestRecords } from "../ingest/pipeline";
import { getRollout } from "../queries/rollouts/getRollout";
import { uniqueCluster } from "../testing/db";
import { createRollout, recordTransition } from "./manage";
import { deliverDueWebhooks, evaluateRollouts, MAX_DELIVERY_ATTEMPTS } from "./webhooks";

const allowLoopback = () => (process.env.DROPBOARD_WEBHOOK_ALLOW = "127.0.0.1");
beforeAll(allowLoopback);
afterAll(() => {
  delete process.env.DROPBOARD_WEBHOOK_ALLOW;
});

const received: { status: number; body: { text: string; verdict: string; previousVerdict: string | null } }[] = [];
let answer = 500;
let replyBody = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    received.push({ status: answer, body: JSON.parse(body) });
    res.writeHead(answer).end(replyBody);
  });
});
let hookUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const minutesAgo = (n: number) => new Date(now.getTime() - n * 60_000);

describe("rollout webhooks", () => {
  it("announces a breach once, retries a failing endpoint, and records every attempt", async () => {
    const cluster = uniqueCluster("hook");
    const { id } = await createRollout({ name: "deny-all shop", policies: [], clusters: [cluster], budget: { maxNewPaths: 0 }, webhookUrl: hookUrl });
    await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(30).toISOString() }, "ci", now);
    const records = Array.from({ length: 10 }, (_, i) => ({
      line: i + 1,
      value: { format: "native", time: minutesAgo(20 - i).toISOString(), cluster, verdict: "DROPPED", srcNamespace: "web", dstNamespace: "shop", dstWorkload: "cart", dstPort: 80, key: `h${i}` },
    }));
    await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: true, now: new Date() });

    expect(await evaluateRollouts(now, [id])).toBe(1);
    expect(await evaluateRollouts(now, [id])).toBe(0); // unchanged: nothing new to say
    expect((await getRollout(id))?.lastVerdict).toBe("BREACHED");

    answer = 500;
    expect(await deliverDueWebhooks(now, [id])).toBe(0);
    let [delivery] = (await getRollout(id))?.deliveries ?? [];
    expect(delivery).toMatchObject({ verdict: "BREACHED", attempts: 1, lastStatus: 500, deliveredAt: null });
    expect(new Date(delivery?.nextAttemptAt ?? 0).getTime()).toBe(now.getTime() + 30_000);
    expect(await deliverDueWebhooks(now, [id])).toBe(0); // not due yet

    answer = 204;
    expect(await deliverDueWebhooks(new Date(now.getTime() + 31_000), [id])).toBe(1);
    [delivery] = (await getRollout(id))?.deliveries ?? [];
    expect(delivery).toMatchObject({ attempts: 2, lastStatus: 204, lastError: null, nextAttemptAt: null });
    const mine = received.filter((r) => r.body.text.includes("deny-all shop"));
    expect(mine).toHaveLength(2);
    expect(mine[0]?.body).toMatchObject({ verdict: "BREACHED", previousVerdict: null });
    expect(mine[0]?.body.text).toMatch(/^🚨 Rollout "deny-all shop" \(CANARY on shop\): BREACHED\. 1 surprise drop path\(s\), budget 0\. http/);
  });

  it("gives up after the last attempt and keeps the error to show", async () => {
    const cluster = uniqueCluster("dead");
    const { id } = await createRollout({ name: "dead hook", policies: [], clusters: [cluster], budget: { maxNewPaths: 0 }, webhookUrl: "http://127.0.0.1:1/nothing-here" });
    await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(30).toISOString() }, "ci", now);
    await ingestRecords(
      [{ line: 1, value: { format: "native", time: minutesAgo(10).toISOString(), cluster, verdict: "DROPPED", dstNamespace: "shop", dstWorkload: "x", key: "d1" } }],
      { format: "auto", tokenCluster: null, atomic: true, now: new Date() },
    );
    await evaluateRollouts(now, [id]);
    let at = now.getTime();
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 2; i++) {
      await deliverDueWebhooks(new Date(at), [id]);
      at += 3_600_000;
    }
    const [delivery] = (await getRollout(id))?.deliveries ?? [];
    expect(delivery).toMatchObject({ attempts: MAX_DELIVERY_ATTEMPTS, deliveredAt: null, nextAttemptAt: null, lastError: "connection refused" });
    await getPrisma().rollout.delete({ where: { id } });
  });

  it("shows readers a status, never the target's reply", async () => {
    const { id } = await breachedRollout("chatty hook", hookUrl);
    answer = 500;
    replyBody = "<html>internal admin console: secret=hunter2</html>";
    try {
      await deliverDueWebhooks(now, [id]);
    } finally {
      replyBody = "";
    }
    const [delivery] = (await getRollout(id))?.deliveries ?? [];
    expect(delivery).toMatchObject({ attempts: 1, lastStatus: 500, lastError: "HTTP 500" });
    expect(JSON.stringify(await getRollout(id))).not.toContain("hunter2");
  });

  it("checks the target again at delivery: an address no longer allowed is refused, and nothing is sent", async () => {
    const { id } = await breachedRollout("allowed then not", hookUrl);
    const before = received.length;
    delete process.env.DROPBOARD_WEBHOOK_ALLOW;
    try {
      expect(await deliverDueWebhooks(now, [id])).toBe(0);
    } finally {
      allowLoopback();
    }
    expect(received.length).toBe(before);
    const [delivery] = (await getRollout(id))?.deliveries ?? [];
    expect(delivery).toMatchObject({ attempts: 1, lastStatus: null, lastError: "refused: loopback address" });
  });

  it("delivers to every rollout in parallel: a hanging target times out without holding up the others", async () => {
    // The hanging server never answers; the quick one notes whether the hanging request was still open when it was called.
    let hanging = 0;
    const held: ServerResponse[] = [];
    const slow = createServer((_req: IncomingMessage, res: ServerResponse) => {
      hanging++;
      held.push(res);
    });
    let hangingWhenQuickCalled: number | null = null;
    const quick = createServer((req: IncomingMessage, res: ServerResponse) => {
      hangingWhenQuickCalled = hanging;
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    const listen = async (server: typeof slow) => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    };
    try {
      const first = await breachedRollout("hanging hook", await listen(slow));
      const second = await breachedRollout("quick hook", await listen(quick));
      expect(await deliverDueWebhooks(now, [first.id, second.id], 1_500)).toBe(1);
      expect(hangingWhenQuickCalled).toBe(1);
      expect((await getRollout(first.id))?.deliveries[0]).toMatchObject({ lastStatus: null, lastError: "timeout after 1.5 s", deliveredAt: null });
      expect((await getRollout(second.id))?.deliveries[0]).toMatchObject({ lastStatus: 204, lastError: null });
    } finally {
      for (const res of held) res.destroy();
      slow.closeAllConnections();
      quick.closeAllConnections();
      await Promise.all([slow, quick].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    }
  });
});

/** A rollout whose canary is breached (one surprise path), judged, so one message is queued for its webhook. */
async function breachedRollout(name: string, webhookUrl: string): Promise<{ id: string }> {
  const cluster = uniqueCluster("hk");
  const { id } = await createRollout({ name, policies: [], clusters: [cluster], budget: { maxNewPaths: 0 }, webhookUrl });
  await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(30).toISOString() }, "ci", now);
  await ingestRecords(
    [{ line: 1, value: { format: "native", time: minutesAgo(10).toISOString(), cluster, verdict: "DROPPED", dstNamespace: "shop", dstWorkload: "x", key: `${name}-1` } }],
    { format: "auto", tokenCluster: null, atomic: true, now: new Date() },
  );
  expect(await evaluateRollouts(now, [id])).toBe(1);
  return { id };
}
