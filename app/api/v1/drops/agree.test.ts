// Integration: every number a dashboard page shows covers one range. Over a page's window (whole
// buckets of the chart's step), the series in any step the chart may use, the per-path counts, the
// policies and the previous period agree exactly with what was ingested; and AUDIT drops where a
// rollout enforces are counted apart.
import { beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { previousRange, viewWindow, type Step } from "@/lib/queries/timeRange";
import { createRollout, recordTransition } from "@/lib/rollouts/manage";
import { uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { GET as getPaths } from "./paths/route";
import { GET as getPolicies } from "./policies/route";
import { GET as getSeries } from "./series/route";
import { GET as getStillAudited } from "./still-audited/route";

const cluster = uniqueCluster("agree");
const vault = `vault-${cluster}`;
const now = new Date();
const ago = (minutes: number, second = 0) => new Date(now.getTime() - minutes * 60_000 + second * 1000);

const get = (handler: (r: Request) => Promise<Response>, path: string, params: Record<string, string>) => {
  const url = new URL(`http://localhost${path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return handler(new Request(url)).then((r) => r.json());
};

beforeAll(async () => {
  const flow = (minutesAgo: number, i: number, spec: Partial<Parameters<typeof hubbleFlow>[0]> = {}) =>
    hubbleFlow({ time: ago(minutesAgo, i % 50), cluster, srcNamespace: "web", srcWorkload: "frontend", srcPod: `frontend-${i}`, dstNamespace: "payments", dstWorkload: "api", dstPort: 8080, ...spec });
  const records = [
    // Spread over the last 30 hours: some before the 24 h window, some in its first and last buckets.
    ...Array.from({ length: 60 }, (_, i) => flow(i * 30 + 1, i)),
    ...Array.from({ length: 12 }, (_, i) => flow(i * 97 + 2, i, { policy: "deny-web", dstNamespace: "orders", dstWorkload: "db", dstPort: 5432 })),
    // AUDIT into the vault before its canary (90 min ago), in its grace period, and after it.
    ...Array.from({ length: 4 }, (_, i) => flow(120, i, { verdict: "AUDIT", dstNamespace: vault, dstWorkload: "vault" })),
    ...Array.from({ length: 2 }, (_, i) => flow(88, i, { verdict: "AUDIT", dstNamespace: vault, dstWorkload: "vault" })),
    ...Array.from({ length: 3 }, (_, i) => flow(30, i, { verdict: "AUDIT", dstNamespace: vault, dstWorkload: "vault" })),
  ];
  const result = await ingestRecords(splitRecords(toNdjson(records)), { format: "auto", tokenCluster: null, atomic: false, now: new Date() });
  expect(result.accepted).toBe(records.length);
  const { id } = await createRollout({ name: `default-deny ${vault}`, policies: [], clusters: [cluster], budget: { maxNewPaths: 0 } });
  await recordTransition(id, { stage: "CANARY", namespaces: [vault], classes: [], at: ago(90).toISOString() }, "test", new Date());
});

const sum = (rows: { count: number }[]) => rows.reduce((total, row) => total + row.count, 0);

describe("one range per page", () => {
  for (const range of ["1h", "6h", "24h", "7d"] as const) {
    it(`the ${range} window: series (in its step and finer), paths, policies and the previous period agree`, async () => {
      const window = viewWindow({ range, from: null, to: null }, now);
      const params = { cluster, from: window.from.toISOString(), to: window.to.toISOString() };
      const series = await get(getSeries, "/api/v1/drops/series", { ...params, step: window.step });
      // The server does not widen a page's window: it is whole buckets already.
      expect([series.from, series.to, series.step]).toEqual([params.from, params.to, window.step]);
      const { paths } = await get(getPaths, "/api/v1/drops/paths", { ...params, limit: "500" });
      expect(sum(paths), "paths sum").toBe(series.total);
      for (const finer of ["1m", "5m", "1h"] as Step[]) {
        const other = await get(getSeries, "/api/v1/drops/series", { ...params, step: finer });
        if (other.error) continue; // too many buckets for this range
        if (new Date(other.from).getTime() === window.from.getTime() && new Date(other.to).getTime() === window.to.getTime()) expect(other.total, finer).toBe(series.total);
      }
      // The policy filter reads per-path rollups (by minute for 15m steps): the same numbers.
      const byPolicy = await get(getSeries, "/api/v1/drops/series", { ...params, step: window.step, policy: "orders/deny-web" });
      const { policies } = await get(getPolicies, "/api/v1/drops/policies", params);
      expect(byPolicy.total).toBe(policies.find((p: { policy: string }) => p.policy === "orders/deny-web")?.count ?? 0);
      // The previous period: as long, just before, on the same boundaries.
      const before = previousRange(window);
      const previous = await get(getSeries, "/api/v1/drops/series", { cluster, from: before.from.toISOString(), to: before.to.toISOString(), step: window.step });
      expect([previous.from, previous.to]).toEqual([before.from.toISOString(), before.to.toISOString()]);
    });
  }

  it("counts every ingested drop once over a window that holds them all", async () => {
    const window = viewWindow({ range: "7d", from: null, to: null }, now);
    const series = await get(getSeries, "/api/v1/drops/series", { cluster, from: window.from.toISOString(), to: window.to.toISOString(), step: window.step });
    expect(series.total).toBe(60 + 12 + 4 + 2 + 3);
  });
});

describe("GET /api/v1/drops/still-audited", () => {
  it("counts AUDIT drops where a rollout enforces, after its grace period, by bucket and namespace", async () => {
    const window = viewWindow({ range: "6h", from: null, to: null }, now);
    const body = await get(getStillAudited, "/api/v1/drops/still-audited", { cluster, from: window.from.toISOString(), to: window.to.toISOString(), step: window.step });
    expect(body.step).toBe("5m");
    // Before the canary and inside its 10-minute grace period: not counted; after: counted.
    expect(body.total).toBe(3);
    expect(sum(body.points)).toBe(3);
    expect(body.namespaces).toHaveLength(1);
    expect(body.namespaces[0]).toMatchObject({ cluster, namespace: vault, count: 3 });
    expect(body.namespaces[0].rollouts).toContainEqual(expect.objectContaining({ name: `default-deny ${vault}`, stage: "CANARY" }));
    const dropped = await get(getStillAudited, "/api/v1/drops/still-audited", { cluster, from: window.from.toISOString(), to: window.to.toISOString(), verdict: "DROPPED" });
    expect(dropped.total).toBe(0);
  });
});
