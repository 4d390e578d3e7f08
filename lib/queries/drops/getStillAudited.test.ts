import { describe, expect, it } from "vitest";
import type { RolloutView } from "../rollouts/getRollout";
import { enforcedSpans, shapeStillAudited } from "./getStillAudited";

const t = (iso: string) => new Date(iso);
const transition = (seq: number, stage: RolloutView["transitions"][number]["stage"], at: string, namespaces: string[], classPatterns: { name: string; patterns: string[] }[] = []) => ({
  seq,
  stage,
  at,
  namespaces,
  classes: classPatterns.map((c) => c.name),
  classPatterns,
  actor: "test",
  note: null,
  override: null,
});

function rollout(id: string, transitions: RolloutView["transitions"], over: Partial<RolloutView> = {}): RolloutView {
  return {
    id,
    name: `rollout ${id}`,
    description: null,
    owner: null,
    changeUrl: null,
    policyKind: null,
    policies: [],
    clusters: [],
    budget: { maxNewPaths: 0, maxExtraDropsPerMin: null, maxIncreasePct: null, maxErrorRatio: null, maxErrorIncreasePct: null },
    baselineMinutes: null,
    soakMinutes: null,
    completedAt: null,
    errorQuery: null,
    prometheusUrl: null,
    enforcementGraceMinutes: null,
    webhookUrl: null,
    webhookConfigured: false,
    lastVerdict: null,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    transitions,
    currentStage: transitions.at(-1) ?? null,
    ...over,
  };
}

const now = t("2026-01-01T12:00Z").getTime();

describe("enforcedSpans", () => {
  it("starts after the grace period, lasts through EXPAND, ends at a rollback", () => {
    const r = rollout("a", [
      transition(1, "OBSERVE", "2026-01-01T08:00:00Z", ["shop"]),
      transition(2, "CANARY", "2026-01-01T09:00:00Z", ["shop"]),
      transition(3, "EXPAND", "2026-01-01T10:00:00Z", ["shop", "cart"]),
      transition(4, "ROLLED_BACK", "2026-01-01T11:00:00Z", []),
    ]);
    const shop = enforcedSpans([r], "shop", now).map((s) => [new Date(s.from).toISOString(), new Date(s.to).toISOString(), s.stage]);
    expect(shop).toEqual([
      ["2026-01-01T09:10:00.000Z", "2026-01-01T10:00:00.000Z", "CANARY"],
      // Still enforcing since the canary: no second grace period.
      ["2026-01-01T10:00:00.000Z", "2026-01-01T11:00:00.000Z", "EXPAND"],
    ]);
    const cart = enforcedSpans([r], "cart", now).map((s) => new Date(s.from).toISOString());
    expect(cart).toEqual(["2026-01-01T10:10:00.000Z"]);
    expect(enforcedSpans([r], "web", now)).toEqual([]);
  });

  it("reads a stage's scope as recorded (class patterns then) and an empty scope as every namespace", () => {
    const byClass = rollout("b", [transition(1, "ENFORCED", "2026-01-01T09:00:00Z", [], [{ name: "tier-2", patterns: ["team-*", "!team-legacy"] }])], { enforcementGraceMinutes: 0 });
    expect(enforcedSpans([byClass], "team-a", now)).toHaveLength(1);
    expect(enforcedSpans([byClass], "team-legacy", now)).toEqual([]);
    const everywhere = rollout("c", [transition(1, "CANARY", "2026-01-01T09:00:00Z", [])]);
    expect(enforcedSpans([everywhere], "anything", now)).toHaveLength(1);
  });
});

describe("shapeStillAudited", () => {
  it("counts AUDIT drops in enforced spans and clusters, by bucket and by namespace", () => {
    const r = rollout("a", [transition(1, "CANARY", "2026-01-01T09:00:00Z", ["shop"])], { clusters: ["prod-eu"] });
    const range = { from: t("2026-01-01T09:00Z"), to: t("2026-01-01T09:30Z") };
    const rows = [
      { t: t("2026-01-01T09:00Z"), cluster: "prod-eu", namespace: "shop", count: 5 }, // inside the grace period
      { t: t("2026-01-01T09:15Z"), cluster: "prod-eu", namespace: "shop", count: 3 },
      { t: t("2026-01-01T09:15Z"), cluster: "prod-us", namespace: "shop", count: 4 }, // not the rollout's cluster
      { t: t("2026-01-01T09:15Z"), cluster: "prod-eu", namespace: "web", count: 2 }, // not in scope
    ];
    const result = shapeStillAudited(rows, [r], range, "15m", new Date(now));
    expect(result.total).toBe(3);
    expect(result.points.map((p) => p.count)).toEqual([0, 3]);
    expect(result.namespaces).toEqual([
      { cluster: "prod-eu", namespace: "shop", count: 3, rollouts: [{ id: "a", name: "rollout a", stage: "CANARY", since: "2026-01-01T09:00:00.000Z" }] },
    ]);
  });
});
