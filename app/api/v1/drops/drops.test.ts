// Integration: the read API on the run's real PostgreSQL returns exactly what was ingested.
import { beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { GET as getEvents } from "./events/route";
import { GET as getPaths } from "./paths/route";
import { GET as getPolicies } from "./policies/route";
import { GET as getSeries } from "./series/route";

const cluster = uniqueCluster("read");
// A fixed hour two hours back, so ranges can straddle hour boundaries deterministically.
const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000);

beforeAll(async () => {
  const records = [
    // 10 drops payments <- web:8080 at minute 5, from 10 pods (so all are kept as example rows);
    // 4 audit drops at minute 65 (next hour)
    ...Array.from({ length: 10 }, (_, i) =>
      hubbleFlow({ time: new Date(at(5).getTime() + i * 1000), cluster, srcNamespace: "web", srcWorkload: "frontend", srcPod: `frontend-${i}`, dstNamespace: "payments", dstWorkload: "api", dstPort: 8080 }),
    ),
    ...Array.from({ length: 4 }, (_, i) =>
      hubbleFlow({ time: new Date(at(65).getTime() + i * 1000), cluster, verdict: "AUDIT", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "db", dstWorkload: "postgres", dstPort: 5432 }),
    ),
    // 3 egress drops from batch at minute 30, with a policy name
    ...Array.from({ length: 3 }, (_, i) =>
      hubbleFlow({ time: new Date(at(30).getTime() + i * 1000), cluster, direction: "EGRESS", reason: "POLICY_DENY", policy: "deny-egress", srcNamespace: "batch", srcWorkload: "etl", dstNamespace: "kube-system", dstWorkload: "coredns", dstPort: 53, protocol: "UDP" }),
    ),
  ];
  const result = await ingestRecords(splitRecords(toNdjson(records)), { format: "auto", tokenCluster: null, atomic: false, now: new Date() });
  expect(result.accepted).toBe(17);
});

const get = (handler: (r: Request) => Promise<Response>, path: string, params: Record<string, string | string[]>) => {
  const url = new URL(`http://localhost${path}`);
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) url.searchParams.append(key, v);
  return handler(new Request(url));
};

describe("GET /api/v1/drops/series", () => {
  it("returns every bucket, zeros filled, grouped by namespace, exact totals", async () => {
    const response = await get(getSeries, "/api/v1/drops/series", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), step: "1h" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.step).toBe("1h");
    expect(body.total).toBe(17);
    const byKey = Object.fromEntries(body.series.map((s: { key: string; points: { count: number }[] }) => [s.key, s.points.map((p) => p.count)]));
    expect(byKey).toEqual({ payments: [10, 0], db: [0, 4], batch: [3, 0] });
  });

  it("groups by verdict and filters by direction", async () => {
    const verdicts = await (await get(getSeries, "/api/v1/drops/series", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), groupBy: "verdict" })).json();
    expect(Object.fromEntries(verdicts.series.map((s: { key: string; total: number }) => [s.key, s.total]))).toEqual({ DROPPED: 13, AUDIT: 4 });
    const egress = await (await get(getSeries, "/api/v1/drops/series", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), direction: "EGRESS" })).json();
    expect(egress.total).toBe(3);
    const several = await (await get(getSeries, "/api/v1/drops/series", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), namespace: ["payments", "db"] })).json();
    expect(several.total).toBe(14);
  });

  it("answers 400 naming the parameter for bad input", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ step: "2m" }, "step"],
      [{ groupBy: "pod" }, "groupBy"],
      [{ from: "yesterday" }, "from"],
      [{ from: at(10).toISOString(), to: at(0).toISOString() }, "from"],
      [{ from: "2020-01-01T00:00:00Z", to: "2020-03-01T00:00:00Z", step: "1m" }, "step"],
      [{ verdict: "ALLOWED" }, "verdict"],
      [{ limit: "0" }, "limit"],
    ];
    for (const [params, field] of cases) {
      const response = await get(getSeries, "/api/v1/drops/series", params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect((await response.json()).error.message).toContain(`"${field}"`);
    }
  });
});

describe("GET /api/v1/drops/paths", () => {
  it("counts exactly over ranges that cut hours (minute ends, hour middle)", async () => {
    const response = await get(getPaths, "/api/v1/drops/paths", { cluster, from: at(3).toISOString(), to: at(66).toISOString() });
    const { paths } = await response.json();
    expect(paths.map((p: { dstNamespace: string; count: number }) => [p.dstNamespace, p.count])).toEqual([
      ["payments", 10],
      ["db", 4],
      ["kube-system", 3],
    ]);
    const egress = paths.find((p: { direction: string }) => p.direction === "EGRESS");
    expect(egress).toMatchObject({ namespace: "batch", srcWorkload: "Deployment/etl", dstPort: 53, protocol: "UDP", policies: ["batch/deny-egress"], reasons: ["POLICY_DENY"], isNew: true });
    const narrow = await (await get(getPaths, "/api/v1/drops/paths", { cluster, from: at(6).toISOString(), to: at(64).toISOString() })).json();
    expect(narrow.paths.map((p: { count: number }) => p.count)).toEqual([3]);
  });

  it("searches workload names", async () => {
    const { paths } = await (await get(getPaths, "/api/v1/drops/paths", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), q: "CoreDNS" })).json();
    expect(paths).toHaveLength(1);
  });
});

describe("GET /api/v1/drops/events", () => {
  it("pages newest first with a cursor and rejects a forged cursor", async () => {
    const first = await (await get(getEvents, "/api/v1/drops/events", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), limit: "10" })).json();
    expect(first.events).toHaveLength(10);
    expect(first.events[0].dstNamespace).toBe("db");
    const second = await (await get(getEvents, "/api/v1/drops/events", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), limit: "10", cursor: first.nextCursor })).json();
    expect(second.events).toHaveLength(7);
    expect(second.nextCursor).toBeNull();
    const forged = await get(getEvents, "/api/v1/drops/events", { cursor: "bm9wZQ" });
    expect(forged.status).toBe(400);
    expect((await forged.json()).error.message).toContain('"cursor"');
  });

  it("filters by drop path", async () => {
    const { paths } = await (await get(getPaths, "/api/v1/drops/paths", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), limit: "1" })).json();
    const { events } = await (await get(getEvents, "/api/v1/drops/events", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), path: paths[0].id })).json();
    expect(events).toHaveLength(10);
  });
});

describe("GET /api/v1/drops/policies", () => {
  it("credits each path's drops in the range to the policies that denied it", async () => {
    const body = await (await get(getPolicies, "/api/v1/drops/policies", { cluster, from: at(0).toISOString(), to: at(120).toISOString() })).json();
    expect(body.policies).toEqual([{ policy: "batch/deny-egress", count: 3 }]);
    const none = await (await get(getPolicies, "/api/v1/drops/policies", { cluster, from: at(0).toISOString(), to: at(120).toISOString(), direction: "INGRESS" })).json();
    expect(none.policies).toEqual([]);
  });
});

describe("the policy filter", () => {
  it("narrows series, paths and events to drops on paths the policy denied", async () => {
    const range = { cluster, from: at(0).toISOString(), to: at(120).toISOString(), policy: "batch/deny-egress" };
    const series = await (await get(getSeries, "/api/v1/drops/series", range)).json();
    expect(series.total).toBe(3);
    expect(series.series.map((s: { key: string }) => s.key)).toEqual(["batch"]);
    const byDirection = await (await get(getSeries, "/api/v1/drops/series", { ...range, groupBy: "direction", step: "1h" })).json();
    expect(byDirection.series).toEqual([{ key: "EGRESS", total: 3, points: [{ t: hour.toISOString(), count: 3 }, { t: at(60).toISOString(), count: 0 }] }]);
    const { paths } = await (await get(getPaths, "/api/v1/drops/paths", range)).json();
    expect(paths).toHaveLength(1);
    const { events } = await (await get(getEvents, "/api/v1/drops/events", range)).json();
    expect(events).toHaveLength(3);
    const other = await (await get(getSeries, "/api/v1/drops/series", { ...range, policy: "nope/none" })).json();
    expect(other.total).toBe(0);
  });
});
