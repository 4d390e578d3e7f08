// Integration: GET /api/v1/clusters on the run's real PostgreSQL.
import { describe, expect, it } from "vitest";
import { POST as ingest } from "../ingest/route";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { GET } from "./route";

const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);

async function send(cluster: string, times: Date[]) {
  const token = await tokenFor("ingest", cluster);
  const flows = times.map((time, i) => hubbleFlow({ time, cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: i % 2 ? "db" : "api", dstWorkload: "api", dstPort: 80 + i }));
  const response = await ingest(ingestRequest(toNdjson(flows), { token }));
  expect(response.status).toBe(200);
}

const list = async (query = "") => GET(new Request(`http://localhost/api/v1/clusters${query}`));

describe("GET /api/v1/clusters", () => {
  it("lists each cluster with its last-seen time and exact drops in the last 24 h", async () => {
    const busy = uniqueCluster("busy");
    const quiet = uniqueCluster("quiet");
    await send(busy, [hoursAgo(0.1), hoursAgo(2), hoursAgo(2.5), hoursAgo(23.5), hoursAgo(30)]);
    await send(quiet, [hoursAgo(40)]);
    const response = await list();
    expect(response.status).toBe(200);
    const body = await response.json();
    const byName = new Map(body.clusters.map((c: { cluster: string }) => [c.cluster, c]));
    expect(byName.get(busy)).toMatchObject({ drops: 4, dropped: 4, audit: 0, namespaces: 2 });
    expect(byName.get(quiet)).toMatchObject({ drops: 0, namespaces: 0 });
    const busyLastSeen = new Date((byName.get(busy) as { lastSeen: string }).lastSeen).getTime();
    expect(Math.abs(busyLastSeen - hoursAgo(0.1).getTime())).toBeLessThan(60_000);
    const order = body.clusters.map((c: { cluster: string }) => c.cluster);
    expect(order.indexOf(busy)).toBeLessThan(order.indexOf(quiet));
  });

  it("counts over another window when asked", async () => {
    const cluster = uniqueCluster("win");
    await send(cluster, [hoursAgo(30), hoursAgo(31)]);
    const body = await (await list(`?from=${hoursAgo(48).toISOString()}`)).json();
    expect(body.clusters.find((c: { cluster: string }) => c.cluster === cluster)).toMatchObject({ drops: 2 });
  });

  it("answers 400 naming a bad or unknown parameter", async () => {
    const bad = await list("?from=yesterday");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("from");
    const unknown = await list("?cluster=x");
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("cluster");
  });
});
