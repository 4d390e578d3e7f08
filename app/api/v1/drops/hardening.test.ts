// Integration: the drops reads answer 400 (never 500) for input PostgreSQL cannot take, and 503
// with a clear message when a read runs past the read timeout.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { getDropPath } from "@/lib/queries/drops/getDropPath";
import { closeReadPool } from "@/lib/queries/readPool";
import { GET as getEvents } from "./events/route";
import { GET as getPaths } from "./paths/route";
import { GET as getPolicies } from "./policies/route";
import { GET as getSeries } from "./series/route";

type Handler = (r: Request) => Promise<Response>;
const HANDLERS: [string, Handler][] = [
  ["series", getSeries],
  ["paths", getPaths],
  ["events", getEvents],
  ["policies", getPolicies],
];
/** A raw query string, so encodings such as %00 reach the handler exactly as a client sent them. */
const get = (handler: Handler, name: string, query: string) => handler(new Request(`http://localhost/api/v1/drops/${name}?${query}`));

describe("drops reads: input PostgreSQL cannot take is a 400 naming the parameter", () => {
  it("refuses a NUL in any filter, in q and in repeated values", async () => {
    const queries: [string, string][] = [
      ["cluster=prod%00", "cluster"],
      ["namespace=a&namespace=b%00c", "namespace"],
      ["reason=%00", "reason"],
      ["policy=x%00", "policy"],
      ["q=%00", "q"],
      ["verdict=DROPPED%00", "verdict"],
      ["cursor=%00", "cursor"],
      ["%00=1", "\\u0000"],
    ];
    for (const [name, handler] of HANDLERS) {
      for (const [query, field] of queries) {
        const response = await get(handler, name, query);
        expect(response.status, `${name}?${query}`).toBe(400);
        expect((await response.json()).error.message, `${name}?${query}`).toContain(`"${field}"`);
      }
    }
  });

  it("refuses a drop path id above int64, and a cursor holding a NUL", async () => {
    for (const [name, handler] of [HANDLERS[0], HANDLERS[2]] as [string, Handler][]) {
      for (const id of ["9999999999999999999", "9223372036854775808"]) {
        const response = await get(handler, name, `path=${id}`);
        expect(response.status, `${name} path=${id}`).toBe(400);
        expect((await response.json()).error.message).toContain('"path"');
      }
      expect((await get(handler, name, "path=9223372036854775807")).status).toBe(200);
    }
    // The drop path page (/paths/<cluster>/<id>) reads through getDropPath: no such path, not a failed cast.
    expect(await getDropPath("x", "9999999999999999999")).toBeNull();
    expect(await getDropPath("a\u0000", "1")).toBeNull();
    const cursor = Buffer.from(JSON.stringify([new Date().toISOString(), "c\u0000", "k"])).toString("base64url");
    expect((await get(getEvents, "events", `cursor=${cursor}`)).status).toBe(400);
  });

  it("refuses times that are not times or lie outside 1970-9999", async () => {
    for (const query of ["from=%27&to=%27", "from=%27", "to=+275760-09-13T00:00:00.000Z", "from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z", "from=1969-12-31T00:00:00Z"]) {
      for (const [name, handler] of HANDLERS) expect((await get(handler, name, query)).status, `${name}?${query}`).toBe(400);
    }
  });
});

describe("drops reads: the read timeout", () => {
  afterAll(async () => {
    delete process.env.DROPBOARD_READ_TIMEOUT_MS;
    await closeReadPool();
  });

  it("answers 503 with a clear message when a read runs past DROPBOARD_READ_TIMEOUT_MS", async () => {
    process.env.DROPBOARD_READ_TIMEOUT_MS = "300";
    await closeReadPool();
    // Another session holds drop_paths exclusively, so the paths read waits; its statement timeout ends the wait.
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE drop_paths IN ACCESS EXCLUSIVE MODE");
      const response = await get(getPaths, "paths", "");
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      const { error } = await response.json();
      expect(error.code).toBe("unavailable");
      expect(error.message).toMatch(/did not finish within 300 ms \(DROPBOARD_READ_TIMEOUT_MS\).*narrow the time range/);
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
    // The pool is fine afterwards (at the default timeout: other tests' ingest may briefly hold locks too).
    delete process.env.DROPBOARD_READ_TIMEOUT_MS;
    await closeReadPool();
    expect((await get(getPaths, "paths", "")).status).toBe(200);
  });

  it("answers 503 with Retry-After, not 500, while the database cannot be reached", async () => {
    const realUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    await closeReadPool();
    try {
      const response = await get(getSeries, "series", "");
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect((await response.json()).error.message).toBe("the database is not answering; retry shortly");
    } finally {
      process.env.DATABASE_URL = realUrl;
      await closeReadPool();
    }
  });
});
