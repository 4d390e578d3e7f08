// Integration: ingest while PostgreSQL is down. On a throwaway embedded PostgreSQL of this file's own,
// stopped and started again: ingest answers 503 with Retry-After (never 500), a lost connection is
// no uncaught exception, the log gets one line per kind of failure and minute, and ingest recovers.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool, databaseUnavailable, getPool, reportDatabaseFailure } from "@/lib/db/pool";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

describe("which errors mean the database is unavailable", () => {
  const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code, severity: "FATAL" });

  it("reads pg's, Node's and Prisma's errors, and errors they wrap", () => {
    expect(databaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toMatch(/57P01/);
    expect(databaseUnavailable(pgError("53300", "sorry, too many clients already"))).toMatch(/too many connections/);
    expect(databaseUnavailable(pgError("57014", "canceling statement due to statement timeout"))).toMatch(/statement timeout/);
    expect(databaseUnavailable(pgError("55P03", "canceling statement due to lock timeout"))).toMatch(/lock timeout/);
    expect(databaseUnavailable(pgError("57P03", "the database system is starting up"))).toMatch(/57P03/);
    expect(databaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe("connection refused");
    expect(databaseUnavailable(new AggregateError([Object.assign(new Error("refused"), { code: "ECONNREFUSED" })]))).toBe("connection refused");
    expect(databaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe("connection lost");
    expect(databaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe("no free connection in time");
    expect(databaseUnavailable(Object.assign(new Error("Can't reach database server"), { code: "P1001" }))).toBe("connection refused");
    const prismaWrapped = Object.assign(new Error("Invalid invocation"), { code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57P01" } } } });
    expect(databaseUnavailable(prismaWrapped)).toMatch(/57P01/);
    expect(databaseUnavailable(new Error("outer", { cause: pgError("53300") }))).toMatch(/53300/);
  });

  it("leaves everything else to be a 500: bugs and bad SQL are not outages", () => {
    for (const error of [pgError("42601", "syntax error"), pgError("23505", "duplicate key"), new TypeError("x is undefined"), "text", null, undefined]) {
      expect(databaseUnavailable(error)).toBeNull();
    }
  });
});

describe("database failure log", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("logs one line per kind at once, then one line a minute with the count while failures go on", () => {
    vi.useFakeTimers();
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 100; i++) reportDatabaseFailure("ingest", refused);
    reportDatabaseFailure("connection lost", Object.assign(new Error("terminating connection"), { code: "57P01" }));
    expect(log.mock.calls.map((call) => call.join(" "))).toEqual([
      "[db] ingest: connection refused: connect ECONNREFUSED 127.0.0.1:1 (more of this kind: one line a minute)",
      "[db] connection lost: server shutting down (57P01 admin_shutdown): terminating connection (more of this kind: one line a minute)",
    ]);
    vi.advanceTimersByTime(60_000);
    expect(log).toHaveBeenCalledTimes(3);
    expect(log.mock.calls[2]?.join(" ")).toBe("[db] connection refused: 99 more in the last minute (last: ingest: connect ECONNREFUSED 127.0.0.1:1)");
    reportDatabaseFailure("ingest", refused);
    vi.advanceTimersByTime(60_000);
    expect(log).toHaveBeenCalledTimes(4);
    expect(log.mock.calls[3]?.join(" ")).toContain("1 more in the last minute");
    // A quiet minute ends the period: the next failure is logged at once again.
    vi.advanceTimersByTime(60_000);
    reportDatabaseFailure("ingest", refused);
    expect(log).toHaveBeenCalledTimes(5);
    expect(log.mock.calls[4]?.[0]).toMatch(/^\[db\] ingest: connection refused: /);
    // And a quiet minute after it logs nothing (and leaves no period open).
    vi.advanceTimersByTime(60_000);
    expect(log).toHaveBeenCalledTimes(5);
  });
});

describe("ingest while PostgreSQL is down", () => {
  let rootDir: string;
  let database: EmbeddedDatabase;
  let token: string;
  const cluster = uniqueCluster("outage");
  const runUrl = process.env.DATABASE_URL;
  const start = async (port?: number) => startEmbeddedPostgres({ rootDir, port, unsafeFast: true, database: "outage", log: () => undefined });
  const batch = () =>
    toNdjson(
      Array.from({ length: 3 }, () =>
        hubbleFlow({ time: new Date(Date.now() - 300_000), cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "pay", dstWorkload: "api", dstPort: 80 }),
      ),
    );

  beforeAll(async () => {
    rootDir = await mkdtemp(path.join(os.tmpdir(), "dropboard-outage-"));
    database = await start();
    await migrate(database.url);
    await closePool();
    process.env.DATABASE_URL = database.url;
    token = await tokenFor("ingest", cluster);
  }, 60_000);

  afterAll(async () => {
    await closePool();
    process.env.DATABASE_URL = runUrl;
    await database.stop();
    await rm(rootDir, { recursive: true, force: true });
  }, 60_000);

  it("answers 503 with Retry-After while it is down, logs one line per kind, survives lost connections, and recovers", async () => {
    expect((await POST(ingestRequest(batch(), { token }))).status).toBe(200);

    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // A checked-out client in the middle of a query when the server stops: its "error" event is heard.
    const client = await getPool().connect();
    expect(client.listenerCount("error")).toBeGreaterThan(0);
    const inFlight = client.query("SELECT pg_sleep(30)").catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await database.stop();
    expect(databaseUnavailable(await inFlight)).toMatch(/57P01/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.release(true);

    for (let i = 0; i < 5; i++) {
      const response = await POST(ingestRequest(batch(), { token }));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
    }
    // Past authentication too: the write path's own failure is an outage, not a bug.
    const direct = await ingestRecords(splitRecords(batch()), { format: "auto", tokenCluster: cluster, atomic: false, now: new Date() }).catch((error: unknown) => error);
    expect(databaseUnavailable(direct)).toBe("connection refused");

    const lines = log.mock.calls.map((call) => call.map(String).join(" "));
    // Each a single line, no stack trace; five refused ingests logged once.
    expect(lines.every((line) => line.startsWith("[db] ") && !line.includes("\n"))).toBe(true);
    expect(lines.filter((line) => line.includes("connection refused"))).toHaveLength(1);
    log.mockRestore();

    database = await start(database.port);
    expect((await POST(ingestRequest(batch(), { token }))).status).toBe(200);
  });
});
