// API-level e2e: the real server over HTTP, as a collector and a dashboard would use it.
import { gzipSync } from "node:zlib";
import { expect, hubbleLines, ingest, test } from "../fixtures";

test("health answers 200 with the database reachable", async ({ request }) => {
  const response = await request.get("/api/v1/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok" });
});

test("a gzip NDJSON batch goes in once, however often it is sent, and reads back exactly", async ({ request, ingestToken, cluster }) => {
  const lines = hubbleLines(cluster, 250);
  const body = gzipSync(lines);
  await test.step("first send stores all", async () => {
    const response = await ingest(request, ingestToken, body, { "content-encoding": "gzip" });
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 250, duplicates: 0, rejected: [] });
  });
  await test.step("a retry stores nothing", async () => {
    const response = await ingest(request, ingestToken, body, { "content-encoding": "gzip" });
    expect(await response.json()).toMatchObject({ accepted: 0, duplicates: 250 });
  });
  await test.step("series, paths and events agree with what was sent", async () => {
    const series = await (await request.get(`/api/v1/drops/series?cluster=${cluster}&from=${new Date(Date.now() - 3_600_000).toISOString()}`)).json();
    expect(series.total).toBe(250);
    expect(series.series[0].key).toBe("payments");
    const paths = await (await request.get(`/api/v1/drops/paths?cluster=${cluster}`)).json();
    expect(paths.paths).toHaveLength(1);
    expect(paths.paths[0]).toMatchObject({ count: 250, srcWorkload: "frontend", dstWorkload: "api", dstPort: 8080 });
    // Raw rows are exemplars, a few per drop path and minute. All 250 share one path and one pod
    // pair, which gets the half of the budget open to any pod pair (the rest waits for others).
    const events = await (await request.get(`/api/v1/drops/events?cluster=${cluster}&limit=1000`)).json();
    const perMinute = new Map<number, number>();
    for (const line of lines.trim().split("\n")) {
      const minute = Math.floor(Date.parse(JSON.parse(line).flow.time) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    const kept: number = events.keptPerPathMinute;
    expect(kept).toBeGreaterThan(0);
    expect(events.events).toHaveLength([...perMinute.values()].reduce((sum, n) => sum + Math.min(n, Math.ceil(kept / 2)), 0));
  });
});

test("bad requests get a 4xx that says what is wrong", async ({ request, ingestToken, cluster }) => {
  expect((await request.post("/api/v1/ingest", { data: hubbleLines(cluster, 1) })).status()).toBe(401);
  const mixed = hubbleLines(cluster, 2) + "{oops\n";
  const partial = await ingest(request, ingestToken, mixed);
  expect(partial.status()).toBe(200);
  expect((await partial.json()).rejected).toEqual([{ line: 3, reason: expect.stringContaining("not valid JSON") }]);
  const badParam = await request.get("/api/v1/drops/series?step=7m");
  expect(badParam.status()).toBe(400);
  expect((await badParam.json()).error.message).toContain('"step"');
  const tooBig = await ingest(request, ingestToken, Buffer.alloc(11 * 1024 * 1024, 0x20));
  expect(tooBig.status()).toBe(413);
});
