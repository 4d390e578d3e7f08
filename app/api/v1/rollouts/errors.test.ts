// Integration: the error-ratio series for the rollout chart, read from a real Prometheus (Debian's
// package) scraping the test's exporter, and the refusals around it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { startPrometheus, type TestPrometheus } from "@/lib/testing/prometheus";
import { GET as ERRORS } from "./[id]/errors/route";
import { POST as STAGE } from "./[id]/stages/route";
import { POST as CREATE } from "./route";

const QUERY = 'sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window])) / sum(rate(http_requests_total{namespace=~"$namespaces"}[$window]))';

let prometheus: TestPrometheus;
let write: string;
let downUrl: string;
beforeAll(async () => {
  prometheus = await startPrometheus({ shop: { "200": 80, "500": 20 } });
  downUrl = `http://127.0.0.1:${await freePort()}`;
  process.env.DROPBOARD_PROMETHEUS_URLS = `${prometheus.url},${downUrl}`;
  write = await tokenFor("write", null);
}, 60_000);
afterAll(async () => prometheus.stop());

const post = (path: string, body: unknown) =>
  new Request(`http://localhost/api/v1${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${write}` }, body: JSON.stringify(body) });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function rolloutOn(prometheusUrl: string | undefined, errorQuery: string | null = QUERY): Promise<string> {
  const created = await CREATE(post("/rollouts", { name: "errors", clusters: [uniqueCluster("err")], ...(errorQuery ? { errorQuery } : {}), ...(prometheusUrl ? { prometheusUrl } : {}) }));
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await STAGE(post(`/rollouts/${id}/stages`, { stage: "CANARY", namespaces: ["shop"] }), params(id))).status).toBe(201);
  return id;
}

const read = (id: string, from: Date, to: Date) =>
  ERRORS(new Request(`http://localhost/api/v1/rollouts/${id}/errors?from=${from.toISOString()}&to=${to.toISOString()}`), params(id));

describe("GET /api/v1/rollouts/{id}/errors", () => {
  it("charts the scope's error ratio as Prometheus evaluates it", async () => {
    const id = await rolloutOn(prometheus.url);
    const to = new Date();
    const response = await read(id, new Date(to.getTime() - 10 * 60_000), to);
    expect(response.status).toBe(200);
    const series = (await response.json()) as { status: string; query: string; stepSeconds: number; points: { t: string; ratio: number | null }[] };
    expect(series).toMatchObject({ status: "ok", stepSeconds: 60 });
    expect(series.query).toContain('namespace=~"shop"');
    const read20 = series.points.filter((p) => p.ratio !== null);
    expect(read20.length).toBeGreaterThan(0);
    for (const point of read20) expect(point.ratio).toBeCloseTo(0.2, 1);
  });

  it("says why when there is nothing to chart: no query, Prometheus down", async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 600_000);
    const none = await (await read(await rolloutOn(undefined, null), from, to)).json();
    expect(none).toMatchObject({ status: "not-set", points: [] });
    const down = await (await read(await rolloutOn(downUrl), from, to)).json();
    expect(down).toMatchObject({ status: "unavailable", detail: "Prometheus is unreachable", points: [] });
  });

  it("answers 400 for a bad range and 404 for an unknown rollout; refuses a Prometheus the operator did not allow", async () => {
    const id = await rolloutOn(prometheus.url);
    const bad = await ERRORS(new Request(`http://localhost/api/v1/rollouts/${id}/errors?from=yesterday&to=now`), params(id));
    expect(bad.status).toBe(400);
    expect((await read("nope", new Date(Date.now() - 60_000), new Date())).status).toBe(404);
    const refused = await CREATE(post("/rollouts", { name: "x", errorQuery: QUERY, prometheusUrl: "http://169.254.169.254/" }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("DROPBOARD_PROMETHEUS_URLS");
  });
});
