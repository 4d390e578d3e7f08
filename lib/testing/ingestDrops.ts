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
