// Integration: exemplar storage on the run's real PostgreSQL. Every drop is counted and
// deduplicated; only the first few per drop path and minute are kept as raw rows.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getPool } from "../db/pool";
import { getDropEvents } from "../queries/drops/getDropEvents";
import { getTopDropPaths } from "../queries/drops/getTopDropPaths";
import { storedDropCount, uniqueCluster } from "../testing/db";
import { hubbleFlow } from "../testing/hubbleFlows";
import { budgetMinutes, chooseExemplars, resetExemplarBudgets } from "./exemplars";
import { eventIdentity } from "./keys";
import { ingestRecords } from "./pipeline";
import type { RawRecord } from "./records";

const MINUTE_MS = 60_000;
// A whole minute inside the accepted window and the budgets' memory (15 minutes by the wall clock),
// so all of a test's events share it and its batches share one budget.
const minuteStart = () => new Date(Math.floor((Date.now() - 5 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS);

function flowsOnOnePath(cluster: string, n: number, dstPort: number, minute: Date, srcPod?: (i: number) => string): RawRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    value: hubbleFlow({
      time: new Date(minute.getTime() + i * 100),
      cluster,
      srcNamespace: "web",
      srcWorkload: "frontend",
      srcPod: srcPod?.(i),
      dstNamespace: "payments",
      dstWorkload: "api",
      dstPort,
      srcPort: 40000 + i,
    }),
  }));
}

const ingest = (records: RawRecord[]) => ingestRecords(records, { format: "auto", tokenCluster: null, atomic: false, now: new Date() });

async function rawRows(cluster: string): Promise<number> {
  const page = await getDropEvents({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + MINUTE_MS), limit: 1000, cluster: [cluster] });
  return page.events.length;
}

beforeEach(() => resetExemplarBudgets());
afterEach(() => {
  delete process.env.DROPBOARD_EXEMPLARS_PER_PATH_MINUTE;
  resetExemplarBudgets();
});

describe("exemplars", () => {
  it("keeps N raw events per drop path and minute, half of them for pod pairs not yet kept, and counts every drop exactly", async () => {
    process.env.DROPBOARD_EXEMPLARS_PER_PATH_MINUTE = "4";
    const cluster = uniqueCluster();
    const minute = minuteStart();
    // One chatty pod first, then two others: the chatty one must not take the whole budget.
    const paymentsApi = flowsOnOnePath(cluster, 30, 8080, minute, (i) => (i < 20 ? "frontend-a" : i % 2 ? "frontend-b" : "frontend-c"));
    const paymentsDb = flowsOnOnePath(cluster, 3, 5432, minute);
    // Two batches on the same path and minute share one budget.
    expect(await ingest(paymentsApi.slice(0, 20))).toMatchObject({ accepted: 20, duplicates: 0 });
    expect(await ingest([...paymentsApi.slice(20), ...paymentsDb])).toMatchObject({ accepted: 13, duplicates: 0 });

    expect(await storedDropCount(cluster)).toBe(33);
    const range = { from: minute, to: new Date(minute.getTime() + MINUTE_MS), limit: 100, cluster: [cluster] };
    const page = await getDropEvents(range);
    expect(page.keptPerPathMinute).toBe(4);
    const pods = (port: number) => page.events.filter((e) => e.dstPort === port).map((e) => e.srcPod).sort();
    expect(pods(8080)).toEqual(["frontend-a", "frontend-a", "frontend-b", "frontend-c"]);
    // A single pod pair gets the open half only: the rest would repeat it.
    expect(pods(5432)).toHaveLength(2);
    const paths = await getTopDropPaths({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + MINUTE_MS), limit: 10, cluster: [cluster] });
    expect(paths.map((p) => [p.dstPort, p.count]).sort()).toEqual([
      [5432, 3],
      [8080, 30],
    ]);
  });

  it("ages budgets by the wall clock: a record stamped a day ahead holds its own minute's budget, not every minute's until then", () => {
    const now = Date.UTC(2026, 11, 1, 10, 0);
    const event = (ms: number) => ({ time: new Date(ms), srcPod: "a", dstPod: "b" });
    const onePath = [{ key: "c\u001f1" }];
    const tomorrow = now + 24 * 60 * MINUTE_MS;
    expect(chooseExemplars([event(tomorrow)], onePath, 4, now)).toEqual([0]);
    // An hour of steady traffic after it, the clock moving on.
    for (let m = 0; m < 60; m++) chooseExemplars([event(now + m * MINUTE_MS)], onePath, 4, now + m * MINUTE_MS);
    const held = budgetMinutes();
    expect(held).toContain(tomorrow);
    expect(held.length).toBeLessThanOrEqual(17);
    expect(held[0]).toBeGreaterThanOrEqual(now + (59 - 15) * MINUTE_MS);
    // A late batch (a spool replayed after an outage) spanning hours leaves no old minutes behind.
    const later = now + 60 * MINUTE_MS;
    const late = Array.from({ length: 180 }, (_, i) => event(later - (i + 20) * MINUTE_MS));
    expect(chooseExemplars(late, late.map(() => onePath[0] as { key: string }), 4, later)).toHaveLength(180);
    expect(budgetMinutes().every((minute) => minute >= later - 15 * MINUTE_MS)).toBe(true);
  });

  it("counts a re-sent batch once even when its events were not kept as rows", async () => {
    process.env.DROPBOARD_EXEMPLARS_PER_PATH_MINUTE = "2";
    const cluster = uniqueCluster();
    const batch = flowsOnOnePath(cluster, 25, 8080, minuteStart(), (i) => `frontend-${i}`);
    expect(await ingest(batch)).toMatchObject({ accepted: 25, duplicates: 0 });
    // After a restart the budget is fresh: the retry must still add nothing, rows included.
    resetExemplarBudgets();
    expect(await ingest(batch)).toMatchObject({ accepted: 0, duplicates: 25 });
    expect(await storedDropCount(cluster)).toBe(25);
    expect(await rawRows(cluster)).toBe(2);
  });

  it("keeps every event as a row when set to all", async () => {
    process.env.DROPBOARD_EXEMPLARS_PER_PATH_MINUTE = "all";
    const cluster = uniqueCluster();
    expect(await ingest(flowsOnOnePath(cluster, 40, 8080, minuteStart()))).toMatchObject({ accepted: 40 });
    expect(await rawRows(cluster)).toBe(40);
    const page = await getDropEvents({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + MINUTE_MS), limit: 1, cluster: [cluster] });
    expect(page.keptPerPathMinute).toBeNull();
  });

  it("computes the same event identity in SQL as the ingest path, so pre-existing rows dedupe after the migration", async () => {
    // The migration that introduced drop_event_keys backfilled identities with this expression.
    const cluster = `${uniqueCluster()}-é`;
    await ingest(flowsOnOnePath(cluster, 3, 8080, minuteStart()));
    const { rows } = await getPool().query<{ time: Date; key: string; identity: string; stored: string | null }>(
      `SELECT e.time, e.key,
              md5(floor(extract(epoch FROM e.time) * 1000)::bigint::text || chr(31) || e.cluster || chr(31) || e.key)::uuid::text AS identity,
              k.identity::text AS stored
       FROM drop_events e LEFT JOIN drop_event_keys k
         ON k.time = e.time AND k.cluster = e.cluster AND k.identity = md5(floor(extract(epoch FROM e.time) * 1000)::bigint::text || chr(31) || e.cluster || chr(31) || e.key)::uuid
       WHERE e.cluster = $1`,
      [cluster],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.identity).toBe(eventIdentity(row.time.getTime(), cluster, row.key));
      expect(row.stored).toBe(row.identity);
    }
  });
});
