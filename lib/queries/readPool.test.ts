// Integration: reads stop at the read timeout, as a ReadTimeoutError, and the pool stays usable.
import { afterAll, describe, expect, it } from "vitest";
import { closeReadPool, readQuery, ReadTimeoutError } from "./readPool";

afterAll(async () => {
  delete process.env.DROPBOARD_READ_TIMEOUT_MS;
  await closeReadPool();
});

describe("readQuery", () => {
  it("cancels a statement past DROPBOARD_READ_TIMEOUT_MS and keeps answering afterwards", async () => {
    process.env.DROPBOARD_READ_TIMEOUT_MS = "200";
    await closeReadPool();
    const error = await readQuery("SELECT pg_sleep(5)").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect((error as Error).message).toBe("the query did not finish within 200 ms");
    expect((await readQuery<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    const settings = await readQuery<{ statement_timeout: string }>("SHOW statement_timeout");
    expect(settings.rows[0]?.statement_timeout).toBe("200ms");
  });

  it("refuses a nonsensical timeout setting", async () => {
    process.env.DROPBOARD_READ_TIMEOUT_MS = "soon";
    await closeReadPool();
    await expect(readQuery("SELECT 1")).rejects.toThrow(/DROPBOARD_READ_TIMEOUT_MS must be a positive integer/);
  });
});
