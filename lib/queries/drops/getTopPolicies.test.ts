// Integration: top policies read from the policy rollups equal the per-path count, with counts
// pending or compacted, and when a path names a policy only after its first drops were compacted
// (Cilium names policies on PolicyVerdict events, which may come in a later batch).
import { describe, expect, it } from "vitest";
import { compactRollups } from "../../ingest/compact";
import { ingestRecords } from "../../ingest/pipeline";
import { splitRecords } from "../../ingest/records";
import { uniqueCluster } from "../../testing/db";
import { hubbleFlow, toNdjson, type FlowSpec } from "../../testing/hubbleFlows";
import type { DropFilters } from "./filters";
import { getTopPolicies } from "./getTopPolicies";

const MINUTE = 60_000;
const now = Math.floor(Date.now() / MINUTE) * MINUTE;
let seq = 0;

const ingest = (flows: FlowSpec[]) =>
  ingestRecords(splitRecords(toNdjson(flows.map(hubbleFlow))), { format: "auto", tokenCluster: null, atomic: false, now: new Date() });

const flow = (cluster: string, minutesAgo: number, port: number, over: Partial<FlowSpec> = {}): FlowSpec => ({
  time: new Date(now - minutesAgo * MINUTE + (seq % 40) * 1000),
  cluster,
  srcNamespace: "web",
  srcWorkload: "frontend",
  dstNamespace: port % 2 ? "db" : "payments",
  dstWorkload: "api",
  dstPort: port,
  uuid: `policy-${cluster}-${seq++}`,
  ...over,
});

describe("top policies from the policy rollups", () => {
  it("equal the per-path count through compaction and late policy names", async () => {
    const cluster = uniqueCluster("policies");
    const ranges = [
      { from: new Date(now - 3_600_000 + 7_000), to: new Date(now + MINUTE) },
      { from: new Date(now - 26 * 3_600_000), to: new Date(now + MINUTE) },
      { from: new Date(now - 4 * 24 * 3_600_000), to: new Date(now - 3_600_000 + 30_000) },
    ];
    const filters: DropFilters[] = [{}, { verdict: ["AUDIT"] }, { reason: ["POLICY_DENY"] }, { policy: ["db/deny-all"] }];
    const agree = async (step: string) => {
      for (const range of ranges) {
        for (const filter of filters) {
          const query = { ...range, ...filter, cluster: [cluster], limit: 10 };
          expect(await getTopPolicies(query), `${step} ${JSON.stringify({ range, filter })}`).toEqual(await getTopPolicies(query, "per path"));
        }
      }
    };
    // Drops named by a policy and drops of paths that name none yet, over three days.
    const named = Array.from({ length: 240 }, (_, i) =>
      flow(cluster, (i * 17) % (3 * 24 * 60), 5432 + (i % 3), { policy: i % 3 === 0 ? "deny-all" : "deny-web", verdict: i % 4 ? "DROPPED" : "AUDIT" }),
    );
    const unnamed = Array.from({ length: 120 }, (_, i) => flow(cluster, (i * 29) % (2 * 24 * 60), 8000 + (i % 4)));
    await ingest([...named, ...unnamed]);
    await agree("pending");
    await compactRollups();
    await agree("compacted");
    const before = await getTopPolicies({ ...ranges[1]!, cluster: [cluster], limit: 10 });
    // Two unnamed paths now name a policy (Hubble names it "<namespace>/<name>"): it is credited
    // with their earlier drops too.
    await ingest([flow(cluster, 5, 8000, { policy: "late" }), flow(cluster, 6, 8001, { policy: "deny-all" })]);
    await agree("late name, pending");
    const late = await getTopPolicies({ ...ranges[1]!, cluster: [cluster], limit: 10 });
    expect(late.find((p) => p.policy === "payments/late")?.count).toBeGreaterThan(1);
    expect(late.find((p) => p.policy === "db/deny-all")?.count).toBeGreaterThan((before.find((p) => p.policy === "db/deny-all")?.count ?? 0) + 1);
    await compactRollups();
    await agree("late name, compacted");
    await ingest(Array.from({ length: 30 }, (_, i) => flow(cluster, i, 8000 + (i % 4))));
    await agree("more pending");
    await compactRollups();
    await agree("all compacted");
  });
});
