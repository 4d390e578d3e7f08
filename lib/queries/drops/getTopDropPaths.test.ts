// Integration: top paths read in bound order equal top paths counted over every path of the range,
// whatever the batch sizes, with counts pending or compacted, filters, ties and a heavy path that
// has gone quiet (read first, yet not in the list).
import { describe, expect, it } from "vitest";
import { getPool } from "../../db/pool";
import { compactRollups } from "../../ingest/compact";
import { ingestRecords } from "../../ingest/pipeline";
import { splitRecords } from "../../ingest/records";
import { uniqueCluster } from "../../testing/db";
import { hubbleFlow, toNdjson, type FlowSpec } from "../../testing/hubbleFlows";
import { countEveryPath, countInOrder, getTopDropPaths, type TopDropPathsQuery } from "./getTopDropPaths";

const MINUTE = 60_000;
const now = Math.floor(Date.now() / MINUTE) * MINUTE;

const ingest = (flows: FlowSpec[]) =>
  ingestRecords(splitRecords(toNdjson(flows.map(hubbleFlow))), { format: "auto", tokenCluster: null, atomic: false, now: new Date() });

function flow(cluster: string, minutesAgo: number, i: number, over: Partial<FlowSpec> = {}): FlowSpec {
  return {
    time: new Date(now - minutesAgo * MINUTE + (i % 50) * 1000),
    cluster,
    srcNamespace: "scan",
    srcWorkload: "scanner",
    dstNamespace: i % 3 ? "db" : "payments",
    dstWorkload: "api",
    dstPort: 1000 + i,
    uuid: `${cluster}-${minutesAgo}-${i}-${over.dstPort ?? ""}-${over.verdict ?? ""}`,
    ...over,
  };
}

describe("top drop paths at any path count", () => {
  it("equals counting every path, for every batch size, range and filter", async () => {
    const cluster = uniqueCluster("top");
    // A heavy path 3 days ago that has gone nearly quiet: highest total, one drop in the last hour.
    const heavy = Array.from({ length: 300 }, (_, i) => flow(cluster, 3 * 24 * 60 + (i % 60), i, { dstPort: 7, srcWorkload: "old" }));
    // Steady paths over the last day, of different weights, some audit.
    const steady = Array.from({ length: 600 }, (_, i) =>
      flow(cluster, (i * 7) % (24 * 60), i, { dstPort: 80 + (i % 9) * (i % 4), srcWorkload: `w${i % 5}`, verdict: i % 5 === 0 ? "AUDIT" : "DROPPED" }),
    );
    // A port scan: one drop per port (ties broken by last seen), spread over the last 6 hours.
    const scan = Array.from({ length: 400 }, (_, i) => flow(cluster, (i * 13) % 360, i, { dstPort: 20_000 + i }));
    expect((await ingest([...heavy, flow(cluster, 20, 9999, { dstPort: 7, srcWorkload: "old" }), ...steady])).accepted).toBe(901);
    await compactRollups();
    // Some counts compacted, these still pending: not covered by the paths' totals.
    expect((await ingest(scan)).accepted).toBe(400);
    expect((await ingest(steady.slice(0, 50).map((f, i) => ({ ...f, uuid: `again-${i}`, time: new Date(now - i * MINUTE) })))).accepted).toBe(50);

    const ranges = [
      { from: new Date(now - 3_600_000), to: new Date(now + MINUTE) },
      { from: new Date(now - 24 * 3_600_000 + 17_000), to: new Date(now + MINUTE) },
      { from: new Date(now - 7 * 24 * 3_600_000), to: new Date(now + MINUTE) },
      { from: new Date(now - 5 * 3_600_000), to: new Date(now - 2 * 3_600_000 + 31_000) },
    ];
    const filters: Partial<TopDropPathsQuery>[] = [{}, { verdict: ["AUDIT"] }, { namespace: ["payments"] }, { direction: ["INGRESS"] }];
    let batches = 0;
    let incomplete = 0;
    for (const range of ranges) {
      for (const filter of filters) {
        for (const limit of [1, 30]) {
          const query = { ...range, ...filter, cluster: [cluster], limit };
          const expected = await countEveryPath(query);
          for (const sizes of [undefined, { first: 2, max: 2048 }, { first: 1, max: 4 }]) {
            const found = await getTopDropPaths(query, sizes);
            expect(found, JSON.stringify({ range, filter, limit, sizes })).toEqual(expected);
          }
          // Whenever a batch smaller than the paths answers, it answers right.
          const early = await countInOrder(query, 64);
          if (early) expect(early).toEqual(expected);
          else incomplete++;
          // Lists with more paths than a first try counts are left out (totals alone): still right when it answers.
          for (const maxListedPaths of [0, 8, 100_000]) {
            const capped = await countInOrder(query, 64, undefined, maxListedPaths);
            if (capped) expect(capped, JSON.stringify({ range, filter, limit, maxListedPaths })).toEqual(expected);
          }
          batches++;
        }
      }
    }
    // The point of the order: 64 of ~1,000 paths answer most of these reads (the heavy quiet path
    // and audit-only filters need more).
    expect(incomplete).toBeLessThan(batches / 2);
  }, 120_000);

  it("keeps each path's total equal to its compacted counts", async () => {
    const cluster = uniqueCluster("totals");
    await ingest(Array.from({ length: 120 }, (_, i) => flow(cluster, i % 90, i, { dstPort: 443 + (i % 4) })));
    await compactRollups();
    await ingest(Array.from({ length: 40 }, (_, i) => flow(cluster, i % 30, 500 + i, { dstPort: 443 + (i % 4) })));
    await compactRollups();
    const { rows } = await getPool().query<{ total: string; compacted: string }>(
      `SELECT p.total::text, (SELECT sum(count) FROM drop_path_day d WHERE d.cluster = p.cluster AND d.drop_path_id = p.id)::text AS compacted
       FROM drop_paths p WHERE p.cluster = $1`,
      [cluster],
    );
    expect(rows.length).toBe(8);
    for (const row of rows) expect(row.total).toBe(row.compacted);
    expect(rows.reduce((sum, row) => sum + Number(row.total), 0)).toBe(160);
  });
});
