// Integration: what one record can do to a batch (nothing but its own rejection), the future-time
// allowance, and identities that no name can make collide. On the run's real PostgreSQL.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getPool } from "../db/pool";
import { getTopDropPaths } from "../queries/drops/getTopDropPaths";
import { storedDropCount, uniqueCluster } from "../testing/db";
import { hubbleFlow } from "../testing/hubbleFlows";
import { ingestRecords, type IngestOptions } from "./pipeline";
import type { RawRecord } from "./records";

const MINUTE_MS = 60_000;
const options = (now = new Date()): IngestOptions => ({ format: "auto", tokenCluster: null, atomic: false, now });
const records = (values: unknown[]): RawRecord[] => values.map((value, i) => ({ line: i + 1, value }));

function flow(cluster: string, time: Date, dstPort = 8080) {
  return hubbleFlow({ time, cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "pay", dstWorkload: "api", dstPort });
}

afterEach(() => {
  delete process.env.DROPBOARD_MAX_FUTURE_MINUTES;
  vi.restoreAllMocks();
});

describe("ingestRecords", () => {
  it("turns an exception from one record's parsing into that line's rejection; the rest are stored", async () => {
    const cluster = uniqueCluster();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // A record whose every read throws: whatever a parser meets, the batch must survive it.
    const explosive = new Proxy(
      {},
      {
        get: () => {
          throw new Error("boom");
        },
        has: () => {
          throw new Error("boom");
        },
      },
    );
    const now = new Date(Date.now() - 5 * MINUTE_MS);
    const result = await ingestRecords(records([flow(cluster, now), explosive, flow(cluster, now)]), options());
    expect(result).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringContaining("could not read this record") }]);
    expect(result.rejected[0]?.reason).not.toContain("boom");
    expect(await storedDropCount(cluster)).toBe(2);
    // One log entry for the request, naming the line, with the error (and its stack) for the server's operator.
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]?.[0]).toContain("lines 2");
  });

  it("rejects a record naming a cluster PostgreSQL cannot store (NUL) on its line, without checking that cluster in", async () => {
    const cluster = uniqueCluster();
    const time = new Date(Date.now() - 5 * MINUTE_MS).toISOString();
    const native = (named: string) => ({ format: "native", time, cluster: named, verdict: "DROPPED", dstNamespace: "pay" });
    const result = await ingestRecords(records([native(cluster), native(`${cluster}\u0000x`), native(cluster)]), options());
    expect(result).toMatchObject({ accepted: 1, duplicates: 1, rejected: [{ line: 2, reason: "cluster: contains a NUL byte" }] });
    expect(await storedDropCount(cluster)).toBe(1);
  });

  it("accepts records up to 10 minutes ahead by default, rejects later ones, and keeps last_seen within that", async () => {
    const cluster = uniqueCluster();
    const now = new Date();
    const result = await ingestRecords(
      records([flow(cluster, new Date(now.getTime() + 5 * MINUTE_MS)), flow(cluster, new Date(now.getTime() + 11 * MINUTE_MS)), flow(cluster, new Date(now.getTime() + 24 * 60 * MINUTE_MS))]),
      options(now),
    );
    expect(result).toMatchObject({ accepted: 1, rejectedCount: 2 });
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(result.rejected[0]?.reason).toMatch(/is more than 10 minutes in the future \(clock skew allowance, DROPBOARD_MAX_FUTURE_MINUTES\)$/);
    const { rows } = await getPool().query<{ last_seen: Date }>("SELECT last_seen FROM drop_paths WHERE cluster = $1", [cluster]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.last_seen.getTime()).toBeLessThanOrEqual(now.getTime() + 10 * MINUTE_MS);

    process.env.DROPBOARD_MAX_FUTURE_MINUTES = "30";
    expect(await ingestRecords(records([flow(cluster, new Date(now.getTime() + 20 * MINUTE_MS))]), options(now))).toMatchObject({ accepted: 1 });
  });

  it("keeps two drop paths apart that differ only in where a U+001F sits in their names", async () => {
    const cluster = uniqueCluster();
    const time = new Date(Date.now() - 5 * MINUTE_MS).toISOString();
    const native = (srcNamespace: string, srcWorkload: string, count: number) => ({
      format: "native", time, cluster, verdict: "DROPPED", direction: "INGRESS", srcNamespace, srcWorkload, dstNamespace: "pay", dstPort: 80, count,
    });
    // Joined with U+001F, both read "web␟x␟api": one path, one count of 5, before.
    const result = await ingestRecords(records([native("web\u001fx", "api", 2), native("web", "x\u001fapi", 3)]), options());
    expect(result).toMatchObject({ accepted: 2, duplicates: 0 });
    const paths = await getTopDropPaths({ from: new Date(Date.now() - 60 * MINUTE_MS), to: new Date(Date.now() + MINUTE_MS), limit: 10, cluster: [cluster] });
    expect(paths.map((p) => [p.srcNamespace, p.srcWorkload, p.count]).sort()).toEqual([
      ["web\u001fx", "api", 2],
      ["web", "x\u001fapi", 3],
    ]);
    expect(await storedDropCount(cluster)).toBe(5);
  });

  it("counts native records that differ only in workloads, labels, identities or policies apart; a re-send counts once", async () => {
    const cluster = uniqueCluster();
    const base = { format: "native", time: new Date(Date.now() - 5 * MINUTE_MS).toISOString(), cluster, verdict: "DROPPED", direction: "INGRESS", srcNamespace: "web", dstNamespace: "pay", dstPort: 80 };
    const batch = records([
      base,
      { ...base, srcWorkload: "Deployment/a" },
      { ...base, dstWorkload: "Deployment/b" },
      { ...base, srcLabels: ["app=a"] },
      { ...base, dstIdentity: 4242 },
      { ...base, policies: ["pay/deny-all"] },
      { ...base, sampleRate: 10 },
    ]);
    expect(await ingestRecords(batch, options())).toMatchObject({ accepted: 7, duplicates: 0 });
    expect(await ingestRecords(batch, options())).toMatchObject({ accepted: 0, duplicates: 7 });
    expect(await storedDropCount(cluster)).toBe(7);
  });
});
