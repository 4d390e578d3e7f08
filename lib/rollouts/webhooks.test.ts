// Integration: verdict changes become webhook messages, delivered with retries, on real PostgreSQL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../db/prisma";
import { ingestRecords } from "../ingest/pipeline";
import { getRollout } from "../queries/rollouts/getRollout";
import { uniqueCluster } from "../testing/db";
import { createRollout, recordTransition } from "./manage";
import { deliverDueWebhooks, evaluateRollouts, MAX_DELIVERY_ATTEMPTS } from "./webhooks";

const received: { status: number; body: { text: string; verdict: string; previousVerdict: string | null } }[] = [];
let answer = 500;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    received.push({ status: answer, body: JSON.parse(body) });
    res.writeHead(answer).end();
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
    expect(delivery).toMatchObject({ attempts: MAX_DELIVERY_ATTEMPTS, deliveredAt: null, nextAttemptAt: null, lastError: expect.stringMatching(/ECONNREFUSED|bad port/) });
    await getPrisma().rollout.delete({ where: { id } });
  });
});
