// Shared Playwright fixtures: an ingest token per worker, written straight into the test database.
import { test as base, expect, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { hashTokenSecret, newTokenId, newTokenSecret } from "../lib/tokens/secret";

export interface DropboardFixtures {
  /** A cluster name only this test uses. */
  cluster: string;
}

export interface DropboardWorkerFixtures {
  ingestToken: string;
  /** The demo week (lib/demo: clusters demo-eu and demo-us, and its rollouts), loaded once per run: rollout ids by name. */
  demo: Map<string, string>;
}

async function insertToken(cluster: string | null, scope: "ingest" | "write" = "ingest"): Promise<string> {
  const secret = newTokenSecret();
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`INSERT INTO api_tokens (id, name, token_hash, scope, cluster) VALUES ($1, $2, $3, $4, $5)`, [
    newTokenId(),
    `e2e ${scope}`,
    hashTokenSecret(secret),
    scope,
    cluster,
  ]);
  await client.end();
  return secret;
}

/** An ingest token bound to one cluster: records that name no cluster land in it. */
export const clusterToken = (cluster: string) => insertToken(cluster, "ingest");

/** A token of scope `write`, as a release manager pastes into the dashboard. */
export const writeToken = () => insertToken(null, "write");

export const test = base.extend<DropboardFixtures, DropboardWorkerFixtures>({
  ingestToken: [
    async ({}, use) => {
      await use(await insertToken(null));
    },
    { scope: "worker" },
  ],
  demo: [
    async ({}, use) => {
      await use(await loadDemoOnce());
    },
    { scope: "worker", timeout: 300_000 },
  ],
  cluster: async ({}, use) => {
    await use(`e2e-${randomBytes(4).toString("hex")}`);
  },
});

export { expect };

/** Loads the demo into the test database unless a previous worker did; its rollouts' ids by name. */
async function loadDemoOnce(): Promise<Map<string, string>> {
  const { listRollouts } = await import("../lib/queries/rollouts/getRollout");
  const { closePool } = await import("../lib/db/pool");
  try {
    let rollouts = await listRollouts();
    if (!rollouts.some((r) => r.name === "default-deny: auth")) {
      const { loadDemo } = await import("../lib/demo/generateDemo");
      await loadDemo({ now: new Date() });
      rollouts = await listRollouts();
    }
    return new Map(rollouts.map((r) => [r.name, r.id]));
  } finally {
    await closePool();
  }
}

/** Runs SQL on the test database (for states no API makes, e.g. a collector silent for an hour). */
export async function sql(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Hubble flows as `hubble observe -o json` prints them, `minutesAgo` before now. */
export function hubbleLines(cluster: string, count: number, namespace = "payments"): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const time = new Date(Date.now() - (2 + (i % 20)) * 60_000 - i * 10).toISOString();
    lines.push(
      JSON.stringify({
        flow: {
          time,
          uuid: `${cluster}-${i}-${randomBytes(4).toString("hex")}`,
          verdict: "DROPPED",
          drop_reason_desc: "POLICY_DENIED",
          IP: { source: "10.0.0.1", destination: "10.0.0.2" },
          l4: { TCP: { source_port: 40000 + i, destination_port: 8080 } },
          source: { namespace: "web", pod_name: "frontend-6d4cf56db6-abcde" },
          destination: { namespace, pod_name: "api-5d8f7c6b4-q7w3e" },
          traffic_direction: "INGRESS",
          node_name: `${cluster}/worker-1`,
        },
      }),
    );
  }
  return lines.join("\n") + "\n";
}

export async function ingest(request: APIRequestContext, token: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return request.post("/api/v1/ingest", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", ...headers },
    data: body,
  });
}
