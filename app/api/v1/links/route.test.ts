// Integration: short links are created for this dashboard's paths only, read back, and deleted with a write token.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FixedWindowLimiter } from "@/lib/links/rateLimit";
import { getShortLink } from "@/lib/queries/links/getShortLink";
import { getPrisma } from "@/lib/db/prisma";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { DELETE, GET } from "./[id]/route";
import { POST } from "./route";

/** Each test file's requests come from their own made-up client, so the per-client cap is theirs alone. */
const client = `198.51.100.${randomBytes(1)[0]}, 10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const create = (body: unknown, from = client) =>
  POST(
    new Request("http://localhost/api/v1/links", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": from },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
const context = (id: string) => ({ params: Promise.resolve({ id }) });

describe("short links", () => {
  it("round-trips a pinned view with a title", async () => {
    const path = "/?from=2026-11-28T10:00:00.000Z&to=2026-11-28T11:00:00.000Z&namespace=payments";
    const response = await create({ path, title: "payments canary" });
    expect(response.status).toBe(201);
    const { id, url } = await response.json();
    expect(url).toBe(`/s/${id}`);
    const link = await (await GET(new Request(`http://localhost/api/v1/links/${id}`), context(id))).json();
    expect(link).toMatchObject({ id, path, title: "payments canary" });
  });

  it("refuses anything but a path on this dashboard, and oversized or malformed bodies", async () => {
    for (const path of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "relative", "/has space", "/" + "x".repeat(4000)]) {
      const response = await create({ path });
      expect(response.status, path.slice(0, 30)).toBe(400);
      expect((await response.json()).error.message).toContain('"path"');
    }
    expect((await create("{nope")).status).toBe(400);
    expect((await create({ path: "/", extra: 1 })).status).toBe(400);
    expect((await create(JSON.stringify({ path: "/", title: "t".repeat(300) }))).status).toBe(400);
    expect((await create(JSON.stringify({ path: "/", title: "t".repeat(10_000) }))).status).toBe(413);
  });

  it("answers 404 for unknown ids and deletes only with a write token", async () => {
    expect((await GET(new Request("http://localhost/api/v1/links/nope"), context("nope"))).status).toBe(404);
    expect((await GET(new Request("http://localhost/api/v1/links/x"), context("../../etc"))).status).toBe(404);
    const { id } = await (await create({ path: "/" })).json();
    const del = (token?: string) =>
      DELETE(new Request(`http://localhost/api/v1/links/${id}`, { method: "DELETE", headers: token ? { authorization: `Bearer ${token}` } : {} }), context(id));
    expect((await del()).status).toBe(401);
    expect((await del(await tokenFor("ingest", null))).status).toBe(403);
    expect((await del(await tokenFor("write", null))).status).toBe(204);
    expect((await del(await tokenFor("write", null))).status).toBe(404);
  });

  it("refuses control, zero-width and other non-ASCII characters, which /s/<id> could never redirect to", async () => {
    for (const path of ["/\u0001x", "/?q=\u007f", "/\u200bx", "/?namespace=a\u2060b", "/\ufeff", "/é", "/\u0000"]) {
      const response = await create({ path });
      expect(response.status, JSON.stringify(path)).toBe(400);
      expect((await response.json()).error.message).toContain('"path"');
    }
    expect((await create({ path: "/?namespace=%E2%80%8B&from=2026-01-01T00%3A00%3A00.000Z" })).status).toBe(201);
    // A link stored before the check: /s/<id> and the API say 404, not a permanent 500.
    const legacy = `zw${randomBytes(4).toString("hex")}`;
    await getPrisma().shortLink.create({ data: { id: legacy, path: "/\u200bx" } });
    expect(await getShortLink(legacy)).toBeNull();
    expect((await GET(new Request(`http://localhost/api/v1/links/${legacy}`), context(legacy))).status).toBe(404);
  });

  it("refuses a NUL in the body or the id with a 400", async () => {
    expect((await create({ path: "/", title: "a\u0000" })).status).toBe(400);
    expect((await GET(new Request("http://localhost/api/v1/links/x"), context("a\u0000"))).status).toBe(400);
  });

  it("caps creation per client: 429 with Retry-After past 30 a minute, other clients unaffected", async () => {
    const busy = `203.0.113.${randomBytes(1)[0]}`;
    const replies = [];
    for (let i = 0; i < 31; i++) replies.push(await create({ path: `/?n=${i}` }, `1.2.3.4, ${busy}`));
    expect(replies.slice(0, 30).every((r) => r.status === 201)).toBe(true);
    const refused = replies[30] as Response;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toMatchObject({ code: "too_many_requests", message: expect.stringContaining("at most 30 a minute per client") });
    // The last X-Forwarded-For hop names the client: another one still gets its links.
    expect((await create({ path: "/" }, `${busy}, 192.0.2.${randomBytes(1)[0]}`)).status).toBe(201);
  });

  it("deletes only with a token bound to no cluster: links belong to everyone", async () => {
    const { id } = await (await create({ path: "/" })).json();
    const bound = await tokenFor("write", uniqueCluster("eu"));
    const del = await DELETE(new Request(`http://localhost/api/v1/links/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${bound}` } }), context(id));
    expect(del.status).toBe(403);
    expect(await getShortLink(id)).not.toBeNull();
  });
});

describe("FixedWindowLimiter", () => {
  it("counts per client in one-minute windows, within a cap on all clients", () => {
    const limiter = new FixedWindowLimiter(2, 3);
    const minute = 60_000 * 1000;
    expect([limiter.take("a", minute), limiter.take("a", minute + 1), limiter.take("a", minute + 2)].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(limiter.take("a", minute + 15_000)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take("b", minute + 3).allowed).toBe(true);
    expect(limiter.take("c", minute + 4).allowed).toBe(false); // all clients: 3 a minute
    expect(limiter.take("a", minute + 60_000).allowed).toBe(true); // a new window
  });
});
