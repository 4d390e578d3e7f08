// Fault: PostgreSQL freezes (SIGSTOP to the postmaster and every backend: a hung host or disk) for
// longer than the read timeout while the collector CLI streams records, then thaws (SIGCONT).
// While frozen: reads answer 503 within the read timeout (they do not hang), liveness answers,
// readiness says not ready, ingest answers 429/503 with Retry-After (it does not wait). After the thaw: the exact total is
// stored, and the server answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRecords, startCollector } from "@/lib/testing/faults/collector";
import { ingest, probes, request, setUpWorld, sleep, storedTotal, until, type FaultWorld } from "@/lib/testing/faults/scenario";

const RECORDS = 60_000;
/** The server's read timeout here (DROPBOARD_READ_TIMEOUT_MS); the freeze lasts several times longer. */
const READ_TIMEOUT_MS = 2_000;
const FROZEN_MS = 12_000;

let world: FaultWorld;
beforeAll(async () => {
  world = await setUpWorld("freeze", { DROPBOARD_READ_TIMEOUT_MS: String(READ_TIMEOUT_MS) });
});
afterAll(() => world?.close());

describe("PostgreSQL frozen past the read timeout mid-ingest", () => {
  it("answers reads 503 in bounded time while frozen, and stores the exact total after the thaw", async () => {
    const collector = startCollector({ server: world.server.url, token: world.token, spoolDir: world.spoolDir, lines: nativeRecords(world.cluster, RECORDS) });
    const context = () => `collector:\n${collector.log().slice(-3000)}\nserver:\n${world.server.log().slice(-3000)}`;

    await until(() => collector.sent() >= 20_000, "the collector to have sent 20,000 records", 120_000);
    // A dashboard read first, so the read pool holds an idle connection into the backend about to freeze.
    expect(await storedTotal(world)).toBeGreaterThan(0);
    const frozenAt = Date.now();
    expect(world.pg.freeze()).toBeGreaterThan(1);
    try {
      const series = `/api/v1/drops/series?cluster=${world.cluster}`;
      const probe = [...nativeRecords(world.cluster, 1)].map((line) => line.replace('"fault-0"', '"probe-0"'));
      const [read, paths, liveness, readiness, ...posted] = await Promise.all([
        request(world.server, series, {}, 15_000),
        request(world.server, `/api/v1/drops/paths?cluster=${world.cluster}`, {}, 15_000),
        request(world.server, "/api/v1/health", {}, 5_000),
        request(world.server, "/api/v1/health/ready", {}, 10_000),
        // A burst of ingest requests (the same record: it counts once at most).
        ...Array.from({ length: 16 }, () => ingest(world, probe, 8_000)),
      ]);
      // Reads give up at the read timeout (the statement's, or the client's 2 s after it): 503, not a hang.
      for (const [name, answer] of [["series", read], ["paths", paths]] as const) {
        expect(answer?.status, `${name} while frozen: ${JSON.stringify(answer?.body)}\n${context()}`).toBe(503);
        expect(answer?.ms ?? Infinity, name).toBeLessThan(READ_TIMEOUT_MS + 2_000 + 3_000);
        expect(answer?.headers.get("retry-after")).toMatch(/^\d+$/);
      }
      expect(liveness?.status, "liveness while frozen").toBe(200);
      expect(readiness?.status, `readiness while frozen\n${context()}`).toBe(503);
      // Ingest is refused for now (429 past the queue, 503 when the token cannot be checked within the
      // read timeout), in bounded time with Retry-After: never a hang, never a 500.
      for (const answer of posted) {
        expect([429, 503], `ingest while frozen: ${JSON.stringify(answer?.body)}\n${context()}`).toContain(answer?.status);
        expect(answer?.headers.get("retry-after")).toMatch(/^\d+$/);
      }

      // A second read while still frozen also ends in bounded time (nothing wedged in a pool).
      const again = await request(world.server, series, {}, 15_000);
      expect(again?.status, `a second read while frozen\n${context()}`).toBe(503);
      await sleep(Math.max(0, FROZEN_MS - (Date.now() - frozenAt)));
    } finally {
      world.pg.thaw();
    }

    expect(await collector.exited, context()).toBe(0);
    // The probe record may have been stored after the thaw (ingest waited rather than refused).
    const total = await storedTotal(world);
    expect([RECORDS, RECORDS + 1], context()).toContain(total);
    expect(await probes(world)).toEqual({ health: 200, ready: 200 });
    expect(world.server.unexpectedExits(), context()).toBe(0);
  });
});
