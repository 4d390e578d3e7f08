// One fault scenario's world: its own PostgreSQL (which it may stop or freeze), the production
// server on it, an ingest token for a cluster of its own (made with the CLI), a spool directory
// for the collector; and the questions every scenario ends with: is the exact total stored, and
// does the server answer?
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../db/embedded";
import { dropboardCli, killCollectors } from "./collector";
import { startFaultyPostgres, type FaultyPostgres } from "./postgres";
import { startProductionServer, type ProductionServer } from "./server";

export interface FaultWorld {
  pg: FaultyPostgres;
  server: ProductionServer;
  cluster: string;
  token: string;
  spoolDir: string;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 100 ms until it holds; fails after `timeoutMs`, saying what it waited for. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export async function setUpWorld(label: string, serverEnv: Record<string, string> = {}): Promise<FaultWorld> {
  const distDir = process.env.DROPBOARD_DIST_DIR;
  if (!distDir) throw new Error("DROPBOARD_DIST_DIR is not set: run the fault tests with `npm test -- faults`, which builds the app");
  const pg = await startFaultyPostgres(label);
  try {
    const cluster = `faults-${label}`;
    const token = (await dropboardCli(["token", "create", "--scope", "ingest", "--cluster", cluster], { DATABASE_URL: pg.url })).trim().split("\n").pop() ?? "";
    const server = await startProductionServer({
      port: await freePort(),
      env: { DATABASE_URL: pg.url, DROPBOARD_DIST_DIR: distDir, DROPBOARD_ROLLOUT_EVALUATOR: "off", ...serverEnv },
    });
    const spoolDir = await mkdtemp(path.join(os.tmpdir(), `dropboard-faults-spool-${label}-`));
    return {
      pg,
      server,
      cluster,
      token,
      spoolDir,
      async close() {
        killCollectors();
        await server.stop().catch(() => undefined);
        await pg.close().catch(() => undefined);
        await rm(spoolDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await pg.close().catch(() => undefined);
    throw error;
  }
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
  ms: number;
}

/** One request to the server, bounded in time: null when it did not answer within `timeoutMs`. */
export async function request(server: ProductionServer, pathAndQuery: string, init: RequestInit = {}, timeoutMs = 15_000): Promise<Answer | null> {
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return null;
    throw error;
  }
}

/** The cluster's drops over the last two hours, as the series API counts them (exact at every moment). */
export async function storedTotal(world: FaultWorld): Promise<number> {
  const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 15 * 60_000).toISOString();
  const answer = await request(world.server, `/api/v1/drops/series?cluster=${world.cluster}&from=${from}&to=${to}&step=1h`);
  if (answer?.status !== 200) throw new Error(`series read answered ${answer ? `${answer.status} ${JSON.stringify(answer.body)}` : "nothing in 15 s"}`);
  return (answer.body as { total: number }).total;
}

/** Liveness and readiness, each within 5 s. */
export async function probes(world: FaultWorld): Promise<{ health: number | null; ready: number | null }> {
  const [health, ready] = await Promise.all([request(world.server, "/api/v1/health", {}, 5_000), request(world.server, "/api/v1/health/ready", {}, 5_000)]);
  return { health: health?.status ?? null, ready: ready?.status ?? null };
}

/** An ingest POST of NDJSON lines with the world's token. */
export function ingest(world: FaultWorld, lines: string[], timeoutMs: number): Promise<Answer | null> {
  return request(
    world.server,
    "/api/v1/ingest",
    { method: "POST", headers: { authorization: `Bearer ${world.token}`, "content-type": "application/x-ndjson" }, body: lines.join("") },
    timeoutMs,
  );
}
