// The rollout read (raw pg: one statement, transitions aggregated beside each rollout) gives every
// field of the view as written: times to the millisecond as ISO 8601, nulls, floats, enums, the
// class patterns kept with a transition, and transitions in seq order.
import { describe, expect, it } from "vitest";
import { getPool } from "../../db/pool";
import { getPrisma } from "../../db/prisma";
import { uniqueCluster } from "../../testing/db";
import { createNamespaceClass, createRollout, recordTransition } from "../../rollouts/manage";
import { maskWebhookUrl } from "../../rollouts/webhookTarget";
import { findRollout, listRollouts } from "./getRollout";
import { listNamespaceClasses } from "./getNamespaceClasses";
import { getStageMarkers } from "./getStageMarkers";

describe("rollout reads", () => {
  it("give every field as written, transitions in seq order", async () => {
    const cluster = uniqueCluster("rr");
    const className = `tier-${cluster}`;
    await createNamespaceClass({ name: className, patterns: ["team-*", "!team-legacy"] });
    // Written directly: creating one checks that its host resolves, which nothing does here.
    const webhookUrl = `https://hooks.example.com/services/${cluster}/secret`;
    // Every field set, as the view gives it back.
    const written = {
      name: `default-deny ${cluster}`,
      description: "deny by default",
      owner: "sre",
      changeUrl: "https://git.example.com/change/1",
      policyKind: "CiliumNetworkPolicy",
      policies: ["default-deny", "allow-dns"],
      clusters: [cluster],
      budget: { maxNewPaths: 3, maxExtraDropsPerMin: 1.5, maxIncreasePct: 12.25, maxErrorRatio: 0.02, maxErrorIncreasePct: null },
      baselineMinutes: 90,
      soakMinutes: 120,
      errorQuery: "sum(rate(errors[$window]))",
      prometheusUrl: "http://prometheus.monitoring.svc:9090",
      enforcementGraceMinutes: 15,
    };
    const { id } = await createRollout(written);
    const now = new Date();
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000 + 123);
    await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: [], at: at(120).toISOString() }, "pipeline", now);
    await recordTransition(id, { stage: "CANARY", namespaces: ["shop", "cart"], classes: [className], actor: "alice", note: "canary on shop", at: at(60).toISOString() }, "pipeline", now);
    const completedAt = new Date(now.getTime() - 7_654);
    await getPrisma().rollout.update({ where: { id }, data: { completedAt, lastVerdict: "HEALTHY", webhookUrl } });

    const view = await findRollout(id);
    expect(view).not.toBeNull();
    const stored = await getPrisma().rollout.findUniqueOrThrow({ where: { id } });
    expect(view).toEqual({
      id,
      ...written,
      completedAt: completedAt.toISOString(),
      webhookUrl: maskWebhookUrl(webhookUrl),
      webhookConfigured: true,
      lastVerdict: "HEALTHY",
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
      transitions: [
        { seq: 1, stage: "OBSERVE", at: at(120).toISOString(), namespaces: [], classes: [], actor: "pipeline", note: null, classPatterns: [], override: null },
        {
          seq: 2,
          stage: "CANARY",
          at: at(60).toISOString(),
          namespaces: ["shop", "cart"],
          classes: [className],
          actor: "alice",
          note: "canary on shop",
          classPatterns: [{ name: className, patterns: ["team-*", "!team-legacy"] }],
          override: null,
        },
      ],
      currentStage: expect.objectContaining({ seq: 2, stage: "CANARY" }),
    });
    expect((await listRollouts([id])).map((r) => r.id)).toEqual([id]);
    expect(await findRollout(`${id}-missing`)).toBeNull();

    const markers = await getStageMarkers({ from: at(121), to: now }, { cluster: [cluster], namespace: ["shop"] });
    expect(markers).toEqual([
      { rolloutId: id, rolloutName: `default-deny ${cluster}`, seq: 1, stage: "OBSERVE", at: at(120).toISOString(), actor: "pipeline", note: null, namespaces: [], classes: [] },
      { rolloutId: id, rolloutName: `default-deny ${cluster}`, seq: 2, stage: "CANARY", at: at(60).toISOString(), actor: "alice", note: "canary on shop", namespaces: ["shop", "cart"], classes: [className] },
    ]);
    // A namespace of the class (team-*) is in the canary's scope; one outside it sees the whole-cluster OBSERVE only.
    expect((await getStageMarkers({ from: at(121), to: now }, { cluster: [cluster], namespace: ["team-a"] })).map((m) => m.seq)).toEqual([1, 2]);
    expect((await getStageMarkers({ from: at(121), to: now }, { cluster: [cluster], namespace: ["billing"] })).map((m) => m.seq)).toEqual([1]);
  });

  it("lists namespace classes by name, every field as written", async () => {
    const suffix = uniqueCluster("nc");
    await createNamespaceClass({ name: `b-${suffix}`, description: "batch jobs", patterns: ["batch-*"] });
    await createNamespaceClass({ name: `a-${suffix}`, patterns: ["api-*", "!api-legacy"] });
    const classes = await listNamespaceClasses([`b-${suffix}`, `a-${suffix}`]);
    expect(classes.map(({ createdAt, updatedAt, ...rest }) => ({ ...rest, times: Date.parse(createdAt) <= Date.parse(updatedAt) }))).toEqual([
      { name: `a-${suffix}`, description: null, patterns: ["api-*", "!api-legacy"], times: true },
      { name: `b-${suffix}`, description: "batch jobs", patterns: ["batch-*"], times: true },
    ]);
    expect((await listNamespaceClasses()).filter((c) => c.name.endsWith(suffix)).map((c) => c.name)).toEqual([`a-${suffix}`, `b-${suffix}`]);
  });

  it("lists rollouts most recently updated first", async () => {
    const first = await createRollout({ name: `first ${uniqueCluster("rr")}`, policies: [], clusters: [], budget: { maxNewPaths: 0 } });
    const second = await createRollout({ name: `second ${uniqueCluster("rr")}`, policies: [], clusters: [], budget: { maxNewPaths: 0 } });
    await getPrisma().rollout.update({ where: { id: first.id }, data: { updatedAt: new Date(Date.now() + 60_000) } });
    const ids = (await listRollouts()).map((r) => r.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect((await listRollouts([second.id]))[0]?.transitions).toEqual([]);
    // A NULL array column (written outside the app) reads as [], as it did through Prisma.
    await getPool().query("UPDATE rollouts SET policies = NULL, clusters = NULL WHERE id = $1", [second.id]);
    expect(await findRollout(second.id)).toMatchObject({ policies: [], clusters: [], transitions: [] });
  });
});
