// Integration: retention on the run's real PostgreSQL. Whole raw day partitions go, rollups past
// their own retention go, and ingest refuses what it could no longer deduplicate.
import { describe, expect, it } from "vitest";
import { getPool } from "../db/pool";
import { uniqueCluster } from "../testing/db";
import { hubbleFlow } from "../testing/hubbleFlows";
import { ingestRecords } from "./pipeline";
import { applyRetention, rawCutoff } from "./retention";

const DAY_MS = 86_400_000;

async function partitionsOf(parent: string): Promise<string[]> {
  const { rows } = await getPool().query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1`,
    [parent],
  );
  return rows.map((r) => r.name);
}

const dayName = (time: Date) => time.toISOString().slice(0, 10).replaceAll("-", "");

describe("retention", () => {
  it("cuts at the start of a UTC day", () => {
    expect(rawCutoff(new Date("2026-11-28T15:30:00Z"), 14).toISOString()).toBe("2026-11-14T00:00:00.000Z");
    expect(rawCutoff(new Date("2026-11-28T00:00:00Z"), 1).toISOString()).toBe("2026-11-27T00:00:00.000Z");
  });

  it("drops raw day partitions past the raw retention and rollup rows past theirs, keeping the rest", async () => {
    // Nothing else writes this far back: ingest refuses it (the last test), and the days are old.
    const now = new Date();
    const cluster = uniqueCluster();
    const expired = new Date(rawCutoff(now, 14).getTime() - 2 * DAY_MS);
    const kept = new Date(rawCutoff(now, 14).getTime() - DAY_MS); // the day's margin
    await getPool().query("SELECT dropboard_ensure_day_partitions($1::date[])", [[expired, kept, now].map((d) => d.toISOString().slice(0, 10))]);
    const oldBucket = new Date(now.getTime() - 401 * DAY_MS);
    const recentBucket = new Date(now.getTime() - 399 * DAY_MS);
    // The first hour of the UTC day 400 days ago: kept with its day row (whole days leave together).
    const cutoffDay = rawCutoff(now, 400);
    for (const bucket of [oldBucket, cutoffDay, recentBucket]) {
      await getPool().query(
        `INSERT INTO drop_rollup_hour (bucket, cluster, namespace, direction, verdict, reason, count) VALUES (date_trunc('hour', $1::timestamptz), $2, 'payments', 'INGRESS', 'DROPPED', 'POLICY_DENIED', 7)`,
        [bucket, cluster],
      );
    }

    const pass = await applyRetention(now, { rawDays: 14, rollupDays: 400 });
    expect(pass?.droppedPartitions).toEqual(expect.arrayContaining([`drop_event_keys_p${dayName(expired)}`, `drop_events_p${dayName(expired)}`]));
    for (const parent of ["drop_events", "drop_event_keys"]) {
      const names = await partitionsOf(parent);
      expect(names).not.toContain(`${parent}_p${dayName(expired)}`);
      expect(names).toContain(`${parent}_p${dayName(kept)}`);
      expect(names).toContain(`${parent}_p${dayName(now)}`);
    }
    const { rows } = await getPool().query<{ bucket: Date }>("SELECT bucket FROM drop_rollup_hour WHERE cluster = $1", [cluster]);
    expect(rows.map((r) => r.bucket.getTime()).sort((a, b) => a - b)).toEqual([cutoffDay.getTime(), Math.floor(recentBucket.getTime() / 3_600_000) * 3_600_000]);

  });

  it("ingest refuses records from before the raw cutoff, naming the retention, and keeps the rest", async () => {
    const cluster = uniqueCluster();
    const now = new Date();
    const flow = (time: Date) => hubbleFlow({ time, cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "payments", dstWorkload: "api", dstPort: 8080 });
    const tooOld = new Date(rawCutoff(now, 14).getTime() - 1);
    const oldestKept = rawCutoff(now, 14);
    const result = await ingestRecords(
      [
        { line: 1, value: flow(tooOld) },
        { line: 2, value: flow(oldestKept) },
      ],
      { format: "auto", tokenCluster: null, atomic: false, now },
    );
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/older than the 14-day raw retention \(accepted from .*\): a re-send could no longer be recognised/) }]);
  });
});
