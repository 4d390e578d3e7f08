// Integration: liveness never touches the database; readiness asks it on a connection of its own.
import { afterEach, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { GET as READY } from "./ready/route";
import { GET as LIVE } from "./route";

const realUrl = process.env.DATABASE_URL;
afterEach(() => {
  process.env.DATABASE_URL = realUrl;
});

describe("health probes", () => {
  it("readiness answers 200 with the database's latency", async () => {
    const response = await READY();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", database: { latencyMs: expect.any(Number) } });
  });

  it("liveness stays 200 when the shared pool is exhausted; readiness does not queue behind it", async () => {
    // Hold every connection of the shared pool, as a burst of slow reads and ingest would.
    const pool = getPool();
    const held = await Promise.all(Array.from({ length: pool.options.max ?? 10 }, () => pool.connect()));
    try {
      expect(pool.idleCount).toBe(0);
      expect((await LIVE()).status).toBe(200);
      expect((await READY()).status).toBe(200);
    } finally {
      for (const client of held) client.release();
    }
  });

  it("when the database cannot be reached: readiness 503 with Retry-After, liveness still 200", async () => {
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    const ready = await READY();
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("5");
    expect((await ready.json()).error.message).toBe("database unreachable: connection failed");
    const live = await LIVE();
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
  });
});
