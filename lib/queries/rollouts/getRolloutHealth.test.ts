// Integration: rollout health on hand-built timelines in the run's real PostgreSQL, where the
// right verdict is known. Each scenario has its own cluster.
import { describe, expect, it } from "vitest";
import { ingestRecords } from "../../ingest/pipeline";
import { uniqueCluster } from "../../testing/db";
import { acknowledgePath } from "../../rollouts/exceptions";
import { createNamespaceClass, createRollout, recordTransition } from "../../rollouts/manage";
import { formatSince, type Budget } from "../../rollouts/verdict";
import { getRollout } from "./getRollout";
import { getRolloutHealth } from "./getRolloutHealth";
import { getPreflight } from "./getPreflight";

const MINUTE = 60_000;
const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const minutesAgo = (n: number) => new Date(now.getTime() - n * MINUTE);

interface Drops {
  /** Destination workload: one drop path per workload. */
  to: string;
  verdict: "DROPPED" | "AUDIT";
  /** Minutes ago of the first and last drop; one drop a minute between them. */
  from: number;
  until: number;
  namespace?: string;
}

/** Ingests the drops as a collector sending them at `sentAt` (its check-in time) would. */
async function ingest(cluster: string, drops: Drops[], sentAt = new Date()) {
  const records = drops.flatMap((d) =>
    Array.from({ length: d.from - d.until + 1 }, (_, i) => ({
      line: i + 1,
      value: {
        format: "native", time: new Date(minutesAgo(d.from - i).getTime() + 5_000).toISOString(), cluster, verdict: d.verdict,
        direction: "INGRESS", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: d.namespace ?? "shop",
        dstWorkload: d.to, dstPort: 8080, protocol: "TCP", key: `${d.to}-${d.verdict}-${d.from - i}`,
      },
    })),
  );
  const result = await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: true, now: sentAt });
  expect(result.rejected).toEqual([]);
}

/** A rollout on its own cluster whose canary on namespace "shop" began `canaryMinutesAgo`. */
async function canary(cluster: string, budget: Partial<Budget>, canaryMinutesAgo = 60, scope: { namespaces?: string[]; classes?: string[] } = { namespaces: ["shop"] }) {
  const { id } = await createRollout({ name: `default-deny ${cluster}`, policies: [], clusters: [cluster], budget: { maxNewPaths: 0, ...budget } });
  await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: [], at: minutesAgo(24 * 60).toISOString() }, "test", now);
  await recordTransition(id, { stage: "CANARY", namespaces: scope.namespaces ?? [], classes: scope.classes ?? [], at: minutesAgo(canaryMinutesAgo).toISOString() }, "test", now);
  const rollout = await getRollout(id);
  if (!rollout) throw new Error("rollout vanished");
  return rollout;
}

describe("rollout health on known timelines", () => {
  it("a clean canary is HEALTHY: the same drops before and after", async () => {
    const cluster = uniqueCluster("clean");
    await ingest(cluster, [{ to: "legacy", verdict: "DROPPED", from: 120, until: 1 }]);
    const health = await getRolloutHealth(await canary(cluster, { maxIncreasePct: 50 }), now);
    expect(health).toMatchObject({ verdict: "HEALTHY", healthy: true, breached: false, surprises: [], expected: [] });
    expect(health.figures).toMatchObject({ currentDrops: 60, baselineDrops: 60, baselineMinutes: 60, stageMinutes: 60, increasePct: 0 });
  });

  it("a canary that breaks a never-audited path is BREACHED, the surprise listed", async () => {
    const cluster = uniqueCluster("surprise");
    await ingest(cluster, [
      { to: "legacy", verdict: "DROPPED", from: 120, until: 1 },
      { to: "checkout", verdict: "DROPPED", from: 30, until: 21 },
    ]);
    const health = await getRolloutHealth(await canary(cluster, {}), now);
    expect(health.verdict).toBe("BREACHED");
    expect(health.reasons).toEqual(["1 surprise drop path(s), budget 0"]);
    expect(health.surprises).toEqual([expect.objectContaining({ dstWorkload: "checkout", dropped: 10, acknowledgement: null })]);
  });

  it("an expected drop only is HEALTHY: the path was seen as AUDIT in scope before, and is listed as expected", async () => {
    const cluster = uniqueCluster("expected");
    await ingest(cluster, [
      { to: "reports", verdict: "AUDIT", from: 180, until: 61 },
      { to: "reports", verdict: "DROPPED", from: 60, until: 1 },
    ]);
    const health = await getRolloutHealth(await canary(cluster, { maxIncreasePct: 10 }), now);
    expect(health.verdict).toBe("HEALTHY");
    expect(health.expected).toEqual([expect.objectContaining({ dstWorkload: "reports", dropped: 60 })]);
    expect(health.figures).toMatchObject({ surprises: 0, expected: 1, increasePct: 0 });
  });

  it("an acknowledged surprise is excluded from the budget and listed apart", async () => {
    const cluster = uniqueCluster("ack");
    await ingest(cluster, [
      { to: "legacy", verdict: "DROPPED", from: 120, until: 1 },
      { to: "scanner", verdict: "DROPPED", from: 30, until: 1 },
    ]);
    const rollout = await canary(cluster, { maxIncreasePct: 10 });
    const before = await getRolloutHealth(rollout, now);
    expect(before.verdict).toBe("BREACHED");
    const scanner = before.surprises[0];
    if (!scanner) throw new Error("no surprise");
    await acknowledgePath({ cluster, pathId: scanner.id, reason: "security scanner" }, "sre", new Date());
    const after = await getRolloutHealth(rollout, now);
    expect(after.verdict).toBe("HEALTHY");
    expect(after.surprises).toEqual([]);
    expect(after.acknowledged).toEqual([expect.objectContaining({ dstWorkload: "scanner", acknowledgement: expect.objectContaining({ actor: "sre", reason: "security scanner" }) })]);
    expect(after.figures).toMatchObject({ currentDrops: 60, baselineDrops: 60 });
  });

  it("too little time, or a collector silent for 5 minutes, is INSUFFICIENT_DATA saying what is missing", async () => {
    const young = uniqueCluster("young");
    await ingest(young, [{ to: "legacy", verdict: "DROPPED", from: 30, until: 1 }]);
    const early = await getRolloutHealth(await canary(young, {}, 2), now);
    expect(early).toMatchObject({ verdict: "INSUFFICIENT_DATA", healthy: false, breached: false });
    expect(early.reasons[0]).toContain("the stage began 2 min ago");

    const silent = uniqueCluster("silent");
    await ingest(silent, [{ to: "legacy", verdict: "DROPPED", from: 200, until: 100 }], minutesAgo(99));
    const quiet = await getRolloutHealth(await canary(silent, {}), now);
    expect(quiet.verdict).toBe("INSUFFICIENT_DATA");
    expect(quiet.reasons).toEqual([`no data from ${silent} since ${formatSince(minutesAgo(99).toISOString(), now)}`]);
  });

  it("judges boundaries exactly at the budget on a closed stage", async () => {
    const cluster = uniqueCluster("edge");
    // Baseline hour: 60 drops. Canary hour (closed by EXPAND): 120 drops, i.e. +1/min, +100%.
    await ingest(cluster, [
      { to: "legacy", verdict: "DROPPED", from: 180, until: 61 },
      { to: "legacy2", verdict: "AUDIT", from: 120, until: 61 },
    ]);
    const atBudget = await canary(cluster, { maxExtraDropsPerMin: 1, maxIncreasePct: 100 }, 120);
    await recordTransition(atBudget.id, { stage: "EXPAND", namespaces: [], classes: [], at: minutesAgo(60).toISOString() }, "test", now);
    const rollout = await getRollout(atBudget.id);
    if (!rollout) throw new Error("gone");
    const canaryStage = rollout.transitions.find((t) => t.stage === "CANARY")?.seq;
    const health = await getRolloutHealth(rollout, now, canaryStage);
    expect(health.figures).toMatchObject({ stageMinutes: 60, currentDrops: 120, baselineDrops: 60, extraDropsPerMin: 1, increasePct: 100 });
    expect(health.verdict).toBe("AT_RISK");
    expect(health.budget.map((b) => b.state)).toEqual(["ok", "at_risk", "at_risk"]);

    const { updateRollout } = await import("../../rollouts/manage");
    await updateRollout(rollout.id, { budget: { maxNewPaths: 0, maxExtraDropsPerMin: 0.99 } });
    const tighter = await getRollout(rollout.id);
    if (!tighter) throw new Error("gone");
    expect((await getRolloutHealth(tighter, now, canaryStage)).verdict).toBe("BREACHED");
  });

  it("scopes by namespace class, and pre-flight lists the AUDIT paths a promotion would start dropping", async () => {
    const cluster = uniqueCluster("class");
    const className = `tier2-${cluster}`;
    await createNamespaceClass({ name: className, patterns: ["team-*", "!team-legacy"] });
    await ingest(cluster, [
      { to: "a", verdict: "AUDIT", from: 100, until: 81, namespace: "team-a" },
      { to: "b", verdict: "AUDIT", from: 100, until: 91, namespace: "team-legacy" },
      { to: "c", verdict: "AUDIT", from: 100, until: 96, namespace: "payments" },
      { to: "d", verdict: "DROPPED", from: 30, until: 1, namespace: "team-b" },
    ]);
    const rollout = await canary(cluster, {}, 60, { classes: [className] });
    const health = await getRolloutHealth(rollout, now);
    expect(health.surprises.map((p) => p.dstNamespace)).toEqual(["team-b"]);

    const preflight = await getPreflight({ id: null, name: "r", clusters: [cluster], policies: [] }, { namespaces: ["payments"], classes: [{ name: className, patterns: ["team-*", "!team-legacy"] }] }, 24, now);
    expect(preflight.wouldDrop.map((p) => [p.dstNamespace, p.audit])).toEqual([["team-a", 20], ["payments", 5]]);
    expect(preflight.auditDrops).toBe(25);
  });

  it("pre-flight lists a path with its drops of every verdict, and an acknowledged one apart", async () => {
    const cluster = uniqueCluster("preflight");
    await ingest(cluster, [
      { to: "mixed", verdict: "AUDIT", from: 100, until: 98 },
      { to: "mixed", verdict: "DROPPED", from: 50, until: 49 },
      { to: "known", verdict: "AUDIT", from: 100, until: 99 },
      { to: "enforced", verdict: "DROPPED", from: 100, until: 91 },
    ]);
    const rollout = await canary(cluster, {});
    const before = await getPreflight(rollout, { namespaces: ["shop"], classes: [] }, 24, now);
    const known = before.wouldDrop.find((p) => p.dstWorkload === "known");
    if (!known) throw new Error("known is not listed");
    await acknowledgePath({ cluster, pathId: known.id, owner: "team", reason: "expected", rolloutId: rollout.id }, "test", now);
    const preflight = await getPreflight(rollout, { namespaces: ["shop"], classes: [] }, 24, now);
    expect(preflight.wouldDrop.map((p) => [p.dstWorkload, p.count, p.dropped, p.audit])).toEqual([["mixed", 5, 2, 3]]);
    expect(preflight.acknowledged.map((p) => [p.dstWorkload, p.count, p.audit])).toEqual([["known", 2, 2]]);
    expect(preflight.auditDrops).toBe(3);
  });
});

describe("kept reads shared by two rollouts", () => {
  it("two rollouts whose canaries started and ended in the same minutes get the same stage figures", async () => {
    const { forgetKeptReads } = await import("../keptReads");
    const cluster = uniqueCluster("twin");
    await ingest(cluster, [{ to: "api", verdict: "DROPPED", from: 130, until: 110 }]);
    const { compactRollups } = await import("../../ingest/compact");
    await compactRollups();
    // A pipeline driving two policies over one namespace: each transition a few seconds apart.
    const twin = async (name: string, seconds: number) => {
      const { id } = await createRollout({ name, policies: [], clusters: [cluster], budget: { maxNewPaths: 1000 } });
      await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: [], at: minutesAgo(24 * 60).toISOString() }, "test", now);
      await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: new Date(minutesAgo(300).getTime() + seconds * 1000).toISOString() }, "test", now);
      await recordTransition(id, { stage: "EXPAND", namespaces: ["shop"], classes: [], at: new Date(minutesAgo(120).getTime() + 30_000 + seconds * 1000).toISOString() }, "test", now);
      const rollout = await getRollout(id);
      if (!rollout) throw new Error("rollout vanished");
      return rollout;
    };
    const a = await twin(`twin-a ${cluster}`, 0);
    const b = await twin(`twin-b ${cluster}`, 15);
    // The canaries (seq 2): [300 min ago, 120 min ago + 30 s) and [.., 120 min ago + 45 s).
    const first = await getRolloutHealth(a, now, 2);
    const second = await getRolloutHealth(b, now, 2);
    forgetKeptReads();
    const fresh = await getRolloutHealth(b, now, 2);
    expect(first.figures?.currentDrops).toBe(11);
    expect(fresh.figures?.currentDrops).toBe(11);
    expect(second.figures?.currentDrops).toBe(fresh.figures?.currentDrops);
  });
});
