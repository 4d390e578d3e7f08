// Integration: the rollout reads that group only what their question needs (a scope's paths, AUDIT
// sightings, the rate's whole minutes) answer exactly what a read of every path answers.
import { describe, expect, it } from "vitest";
import { ingestRecords } from "../../ingest/pipeline";
import { uniqueCluster } from "../../testing/db";
import { getStagePathCounts, type StagePathCountsRow } from "./getStagePathCounts";
import { getOtherReasonsInScope } from "./sealedPathCounts";

const MINUTE = 60_000;
const start = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 90 * MINUTE);
const at = (minutes: number, seconds = 0) => new Date(start.getTime() + minutes * MINUTE + seconds * 1000);
const every = { namespaces: [], classes: [] };

async function ingest(cluster: string, drops: { ns: string; to: string; verdict: "DROPPED" | "AUDIT"; time: Date; reason?: string; namespace?: string }[]) {
  const records = drops.map((d, i) => ({
    line: i + 1,
    value: {
      format: "native", time: d.time.toISOString(), cluster, verdict: d.verdict, direction: "INGRESS", srcNamespace: "web",
      srcWorkload: "frontend", dstNamespace: d.ns, dstWorkload: d.to, dstPort: 8080, protocol: "TCP", key: `${d.to}-${d.time.toISOString()}-${i}`,
      ...(d.reason ? { reason: d.reason } : {}),
      ...(d.namespace ? { namespace: d.namespace } : {}),
    },
  }));
  const result = await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: true, now: new Date() });
  expect(result.rejected).toEqual([]);
}

const byPath = (rows: StagePathCountsRow[]) =>
  Object.fromEntries(rows.map((r) => [`${r.namespace}/${r.dst_workload}`, { count: r.count, dropped: r.dropped, audit: r.audit, other: r.other, before: r.before_split }]));

describe("stage path counts", () => {
  it("a scope of namespaces reads its paths only, the same counts as a read of every path", async () => {
    const cluster = uniqueCluster("stage-scope");
    const drops = ["shop", "pay", "other"].flatMap((ns) =>
      Array.from({ length: 30 }, (_, m) => ({ ns, to: `w${m % 4}`, verdict: m % 3 === 0 ? ("AUDIT" as const) : ("DROPPED" as const), time: at(m * 3, 7) })),
    );
    await ingest(cluster, drops);
    const window = { from: at(10), to: at(80, 30) };
    const all = byPath(await getStagePathCounts(window, [cluster], every));
    const scoped = byPath(await getStagePathCounts(window, [cluster], { namespaces: ["shop"], classes: [{ name: "p", patterns: ["pa*"] }] }));
    expect(Object.keys(scoped).sort()).toEqual(Object.keys(all).filter((k) => !k.startsWith("other/")).sort());
    for (const key of Object.keys(scoped)) expect(scoped[key]).toEqual(all[key]);
  });

  it("a path whose last_seen lags its newest drop (moved only 30 s on) is still read in a scoped window", async () => {
    const cluster = uniqueCluster("stage-lag");
    await ingest(cluster, [{ ns: "shop", to: "api", verdict: "DROPPED", time: at(40, -20) }]);
    await ingest(cluster, [{ ns: "shop", to: "api", verdict: "DROPPED", time: at(40, 9) }]);
    const rows = byPath(await getStagePathCounts({ from: at(40), to: at(41) }, [cluster], { namespaces: ["shop"], classes: [] }));
    expect(rows["shop/api"]).toMatchObject({ count: 1, dropped: 1 });
  });

  it("a scoped window reads its ragged minutes as a read of every path does: a path first seen after `to` in its last minute, last_seen lagging into its first", async () => {
    const cluster = uniqueCluster("stage-ragged");
    await ingest(cluster, [{ ns: "shop", to: "late", verdict: "DROPPED", time: at(50, 45) }]);
    await ingest(cluster, [{ ns: "shop", to: "lagging", verdict: "DROPPED", time: at(39, 45) }]);
    await ingest(cluster, [{ ns: "shop", to: "lagging", verdict: "DROPPED", time: at(40, 10) }]);
    const window = { from: at(40, 50), to: at(50, 30) };
    const scoped = byPath(await getStagePathCounts(window, [cluster], { namespaces: ["shop"], classes: [] }));
    expect(scoped).toEqual(byPath(await getStagePathCounts(window, [cluster], every)));
    expect(Object.keys(scoped).sort()).toEqual(["shop/lagging", "shop/late"]);
  });

  it("other reasons in scope are filed by the path's namespace, as its counts are, whatever a later record names", async () => {
    const cluster = uniqueCluster("stage-other");
    await ingest(cluster, [
      { ns: "shop", to: "api", verdict: "DROPPED", time: at(10), reason: "CT_MAP_INSERTION_FAILED", namespace: "shop" },
      { ns: "shop", to: "api", verdict: "DROPPED", time: at(11), reason: "CT_MAP_INSERTION_FAILED", namespace: "elsewhere" },
    ]);
    const window = { from: at(0), to: at(60) };
    const [row] = await getStagePathCounts(window, [cluster], { namespaces: ["shop"], classes: [] });
    expect(row?.other).toBe(2);
    expect(await getOtherReasonsInScope(window, [cluster], { namespaces: ["shop"], classes: [] }, new Date())).toEqual([{ reason: "CT_MAP_INSERTION_FAILED", drops: 2 }]);
  });

  it("AUDIT sightings only: the paths seen as AUDIT with a policy reason, their AUDIT drops", async () => {
    const cluster = uniqueCluster("stage-audit");
    await ingest(cluster, [
      { ns: "shop", to: "a", verdict: "AUDIT", time: at(5) },
      { ns: "shop", to: "a", verdict: "DROPPED", time: at(6) },
      { ns: "shop", to: "b", verdict: "DROPPED", time: at(7) },
      { ns: "shop", to: "c", verdict: "AUDIT", time: at(8), reason: "CT_MAP_INSERTION_FAILED" },
    ]);
    const rows = byPath(await getStagePathCounts({ from: at(0), to: at(60) }, [cluster], every, { auditOnly: true }));
    expect(rows).toEqual({ "shop/a": { count: 1, dropped: 0, audit: 1, other: 0, before: 0 } });
  });

  it("the split counts the whole minutes before it, as a read of that window does", async () => {
    const cluster = uniqueCluster("stage-split");
    await ingest(cluster, Array.from({ length: 80 }, (_, m) => ({ ns: "shop", to: `w${m % 3}`, verdict: "DROPPED" as const, time: at(m, 30) })));
    const window = { from: at(2), to: at(79, 40) };
    const split = byPath(await getStagePathCounts(window, [cluster], every, { splitAt: at(79) }));
    const rate = byPath(await getStagePathCounts({ from: at(2), to: at(79) }, [cluster], every));
    for (const key of Object.keys(split)) expect(split[key]?.before).toBe(rate[key]?.count);
    expect(Object.values(split).reduce((t, r) => t + r.count - r.before, 0)).toBe(1);
  });

  it("the split is exact where the window's read would take a whole hour across it (a stage ending at hh:59:30)", async () => {
    const cluster = uniqueCluster("stage-split-hour");
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const minute = (m: number, s = 30) => new Date(hour + m * MINUTE + s * 1000);
    await ingest(cluster, Array.from({ length: 120 }, (_, m) => ({ ns: "shop", to: "api", verdict: "DROPPED" as const, time: minute(m - 60, m === 119 ? 10 : 30) })));
    const window = { from: minute(-60, 0), to: minute(59, 30) };
    const [row] = await getStagePathCounts(window, [cluster], every, { splitAt: minute(59, 0) });
    const [rate] = await getStagePathCounts({ from: window.from, to: minute(59, 0) }, [cluster], every);
    expect({ count: row?.count, before: row?.before_split }).toEqual({ count: 120, before: rate?.count });
    expect(rate?.count).toBe(119);
  });
});
