// Test helper: drops of one cluster ingested through the real pipeline, each at a time the test
// names (tests that judge kept hours set their own "now" in the past).
import { expect } from "vitest";
import { ingestRecords } from "../ingest/pipeline";

export interface TestDrop {
  to: string;
  at: Date;
  verdict?: "DROPPED" | "AUDIT";
  policies?: string[];
  reason?: string;
  ns?: string;
}

let key = 0;

export async function ingestDrops(cluster: string, drops: readonly TestDrop[]): Promise<void> {
  const records = drops.map((d, i) => ({
    line: i + 1,
    value: {
      format: "native", time: d.at.toISOString(), cluster, verdict: d.verdict ?? "DROPPED", direction: "INGRESS", srcNamespace: "web",
      srcWorkload: "frontend", dstNamespace: d.ns ?? "shop", dstWorkload: d.to, dstPort: 8080, protocol: "TCP", key: `k${key++}-${cluster}`,
      ...(d.policies ? { policies: d.policies } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
    },
  }));
  const result = await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: true, now: new Date() });
  expect(result.rejected).toEqual([]);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A drop at so many minutes before a test's "now". */
export type DropAgo = Omit<TestDrop, "at"> & { minutesAgo: number };

/**
 * A "now" `daysBack` days in the past, half past an hour, for tests that judge kept hours: every
 * compaction in the hours a kept read covers voids it, and other test files write and compact
 * around the real now (each file takes days of its own). Half past an hour, so which hours are
 * finished at each poll does not depend on when the suite runs (at :02 a window of now - 5 h
 * polled 3 h earlier would hold no whole hour to keep). `ago`: 7 s into the minute so many minutes
 * before it; `ingest`: drops at so many minutes before it.
 */
export function pastNow(daysBack: number) {
  const now = new Date(Math.floor(Date.now() / HOUR) * HOUR - daysBack * 24 * HOUR + 30 * MINUTE);
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE + 7_000);
  const ingest = (cluster: string, drops: readonly DropAgo[]) => ingestDrops(cluster, drops.map(({ minutesAgo, ...drop }) => ({ ...drop, at: ago(minutesAgo) })));
  return { now, ago, ingest };
}
