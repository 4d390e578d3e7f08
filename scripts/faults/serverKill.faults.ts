// Fault: the production server is killed (SIGKILL, no shutdown hook) twice while the collector CLI
// streams 100,000 records into it, and started again. The collector spools and retries; ingest is
// idempotent; so the exact total is stored, and the restarted server answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRecords, startCollector } from "@/lib/testing/faults/collector";
import { probes, setUpWorld, sleep, storedTotal, until, type FaultWorld } from "@/lib/testing/faults/scenario";

const RECORDS = 100_000;

let world: FaultWorld;
beforeAll(async () => {
  world = await setUpWorld("kill");
});
afterAll(() => world?.close());

describe("kill -9 of the server mid-stream", () => {
  it("stores exactly 100,000 records from a collector whose server was killed twice and restarted", async () => {
    const collector = startCollector({ server: world.server.url, token: world.token, spoolDir: world.spoolDir, lines: nativeRecords(world.cluster, RECORDS) });
    const context = () => `collector:\n${collector.log().slice(-3000)}\nserver:\n${world.server.log().slice(-3000)}`;

    for (const at of [25_000, 60_000]) {
      await until(() => collector.sent() >= at, `the collector to have sent ${at} records`, 120_000);
      await world.server.kill9();
      expect(world.server.running()).toBe(false);
      // Down long enough for the collector to fail and back off a few times.
      await sleep(1_500);
      await world.server.start();
    }

    expect(await collector.exited, context()).toBe(0);
    expect(collector.log(), context()).toMatch(/retr/i);
    expect(await storedTotal(world), context()).toBe(RECORDS);
    expect(await probes(world)).toEqual({ health: 200, ready: 200 });
    expect(world.server.unexpectedExits(), context()).toBe(0);
  });
});
