// Integration: GET /api/v1/clusters on the run's real PostgreSQL.
import { describe, expect, it } from "vitest";
import { checkIn } from "@/lib/ingest/checkins";
import { POST as heartbeat } from "../heartbeat/route";
import { POST as ingest } from "../ingest/route";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { GET } from "./route";

const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000);

interface Listed {
  cluster: string;
  lastSeen: string | null;
  lastCheckinAt: string | null;
  lastHeartbeatAt: string | null;
  reporting: boolean;
  stoppedReporting: boolean;
  drops: number;
}

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
    // Both collectors checked in when they sent, whatever the age of what they sent.
    for (const name of [busy, quiet]) {
      const listed = byName.get(name) as Listed;
      expect(listed).toMatchObject({ reporting: true, stoppedReporting: false });
      expect(Math.abs(new Date(listed.lastCheckinAt ?? 0).getTime() - Date.now())).toBeLessThan(60_000);
    }
    expect(body.livenessMinutes).toBeGreaterThan(0);
  });

  it("lists a cluster whose collector only sent heartbeats, reporting, with no drops", async () => {
    const cluster = uniqueCluster("beat");
    const token = await tokenFor("ingest", cluster);
    const beat = await heartbeat(new Request("http://localhost/api/v1/heartbeat", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" }));
    expect(beat.status).toBe(200);
    const body = await (await list()).json();
    const listed = body.clusters.find((c: Listed) => c.cluster === cluster) as Listed;
    expect(listed).toMatchObject({ drops: 0, lastSeen: null, reporting: true, stoppedReporting: false });
    expect(listed.lastHeartbeatAt).toBe(listed.lastCheckinAt);
  });

  it("says which collectors stopped: heard from in the last 24 h, silent for the liveness period", async () => {
    const stopped = uniqueCluster("stopped");
    const gone = uniqueCluster("gone");
    await checkIn({ clusters: [stopped], at: hoursAgo(0.5), heartbeat: true });
    await checkIn({ clusters: [gone], at: hoursAgo(72), heartbeat: true });
    const body = await (await list()).json();
    const byName = new Map<string, Listed>(body.clusters.map((c: Listed) => [c.cluster, c]));
    expect(byName.get(stopped)).toMatchObject({ reporting: false, stoppedReporting: true });
    expect(byName.get(gone)).toMatchObject({ reporting: false, stoppedReporting: false });
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
