// Integration: short links are created for this dashboard's paths only, read back, and deleted with a write token.
import { describe, expect, it } from "vitest";
import { tokenFor } from "@/lib/testing/db";
import { DELETE, GET } from "./[id]/route";
import { POST } from "./route";

const create = (body: unknown) =>
  POST(new Request("http://localhost/api/v1/links", { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }));
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
});
