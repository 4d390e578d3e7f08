// Integration: the demo's rollouts judge as the README says: one healthy canary, one breached.
import { describe, expect, it } from "vitest";
import { listRollouts } from "../queries/rollouts/getRollout";
import { getRolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { loadDemo } from "./generateDemo";

describe("demo data", () => {
  it("has a healthy canary (only predicted paths enforced) and a breached one (a surprise)", async () => {
    const now = new Date();
    expect(await loadDemo({ now, days: 3 })).toBeGreaterThan(10_000);
    const rollouts = await listRollouts();
    const inventory = rollouts.find((r) => r.name === "default-deny: inventory");
    const auth = rollouts.find((r) => r.name === "default-deny: auth");
    if (!inventory || !auth) throw new Error("demo rollouts missing");

    const healthy = await getRolloutHealth(inventory, now);
    expect(healthy.verdict, healthy.reasons.join("; ")).toBe("HEALTHY");
    expect(healthy.expected.map((p) => `${p.srcWorkload}->${p.dstNamespace}/${p.dstWorkload}`).join(" ")).toContain("Deployment/trainer->inventory/Deployment/api");

    const breached = await getRolloutHealth(auth, now);
    expect(breached.verdict).toBe("BREACHED");
    expect(breached.surprises.map((p) => `${p.srcNamespace}/${p.srcWorkload}->${p.dstWorkload}`)).toEqual(["web/Deployment/frontend->Deployment/keycloak"]);
    expect(breached.expected.map((p) => p.srcWorkload)).toContain("Deployment/mailer");

    // Loading twice adds no second copy of the rollouts.
    await loadDemo({ now, days: 1 });
    expect((await listRollouts()).filter((r) => r.name.startsWith("default-deny: "))).toHaveLength(2);
  }, 120_000);
});
