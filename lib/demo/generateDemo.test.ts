// Integration: the demo's rollouts judge as the README says: two healthy canaries, one breached;
// none was updated before it was created.
import { describe, expect, it } from "vitest";
import { listRollouts } from "../queries/rollouts/getRollout";
import { getRolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { loadDemo } from "./generateDemo";

const label = (p: { srcNamespace: string | null; srcWorkload: string | null; dstNamespace: string | null; dstWorkload: string | null }) =>
  `${p.srcNamespace}/${p.srcWorkload}->${p.dstNamespace}/${p.dstWorkload}`;

describe("demo data", () => {
  it("has a healthy canary, a breached one (a surprise), and one with other drops in scope", async () => {
    const now = new Date();
    expect(await loadDemo({ now, days: 3 })).toBeGreaterThan(10_000);
    const rollouts = await listRollouts();
    const byName = (name: string) => {
      const rollout = rollouts.find((r) => r.name === name);
      if (!rollout) throw new Error(`demo rollout ${name} missing`);
      return rollout;
    };

    const healthy = await getRolloutHealth(byName("default-deny: inventory"), now);
    expect(healthy.verdict, healthy.reasons.join("; ")).toBe("HEALTHY");
    expect(healthy.expected.map(label)).toContain("ml-training/Deployment/trainer->inventory/Deployment/api");

    const breached = await getRolloutHealth(byName("default-deny: auth"), now);
    expect(breached.verdict).toBe("BREACHED");
    expect(breached.surprises.map(label)).toEqual(["web/Deployment/frontend->auth/Deployment/keycloak"]);
    expect(breached.surprises[0]?.attributionText).toBe("default deny — likely `auth/default-deny` (rollout `default-deny: auth`)");
    expect(breached.expected.map((p) => p.srcWorkload)).toContain("Deployment/mailer");

    // orders: a predicted default deny enforced, beside another policy's drops and conntrack drops.
    const orders = await getRolloutHealth(byName("default-deny: orders"), now);
    expect(orders.verdict, orders.reasons.join("; ")).toBe("HEALTHY");
    expect(orders.expected.map(label)).toContain("checkout/Deployment/cart->orders/Deployment/api");
    expect(orders.otherPolicies.map(label)).toEqual(["ml-training/Deployment/trainer->orders/Deployment/postgres"]);
    expect(orders.otherPolicies[0]?.policies).toEqual(["orders/orders-db-allowlist"]);
    expect(orders.otherReasons.map((r) => r.reason)).toEqual(["CT_MAP_INSERTION_FAILED"]);
    expect(orders.figures?.otherReasonDrops).toBeGreaterThan(0);
    expect(orders.figures?.defaultDenyDrops).toBeGreaterThan(0);

    // Loading twice adds no second copy of the rollouts.
    await loadDemo({ now, days: 1 });
    expect((await listRollouts()).filter((r) => r.name.startsWith("default-deny: "))).toHaveLength(3);

    // createdAt and updatedAt come from one clock: no rollout was updated before it was created.
    for (const r of await listRollouts()) {
      expect(Date.parse(r.updatedAt), `${r.name}: updatedAt ${r.updatedAt}, createdAt ${r.createdAt}`).toBeGreaterThanOrEqual(Date.parse(r.createdAt));
    }
  }, 120_000);
});
