// The promotion guard on the demo's breached canary (`default-deny: auth`, which also cuts off
// web/frontend, a path audit mode never saw): the verdict panel shows its figures, the transition
// form defaults to ROLLED_BACK, promoting asks for an override reason, the server refuses a promotion
// without one (and the page shows its message), and a promotion with one is recorded with it.
import path from "node:path";
import { expect, test, writeToken } from "./fixtures";

const shot = (name: string) => path.resolve("e2e/screenshots", name);
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

test("a breached rollout defaults to rolling back; promoting it needs a recorded override", async ({ page, request, demo }) => {
  test.setTimeout(120_000);
  const id = demo.get("default-deny: auth");
  if (!id) throw new Error("the demo has no rollout default-deny: auth");
  const token = await writeToken();
  const form = page.getByRole("form", { name: "Record a transition" });
  const stage = form.getByRole("combobox", { name: "Stage", exact: true });
  const confirm = page.getByRole("alertdialog", { name: "Confirm the transition" });

  await test.step("the verdict panel: BREACHED, the rates, what the budget leaves out, the collectors", async () => {
    await page.goto(`/rollouts/${id}?range=24h`);
    const health = page.getByRole("region", { name: "Health" });
    await expect(health.getByTestId("verdict")).toHaveText("BREACHED");
    await expect(health).toContainText("surprise drop path(s), budget 0");
    await expect(health).toContainText("drops/min now");
    await expect(health).toContainText("since-stage average");
    await expect(health).toContainText("baseline (fixed)");
    await expect(health).toContainText("24 h before the first enforcing transition");
    await expect(health).toContainText("of which default deny");
    await expect(health.getByLabel("Other drops in scope")).toBeVisible();
    await expect(health.getByRole("list", { name: "Cluster liveness" })).toContainText("demo-eu");
    // Paths say whose drops they are, names as code.
    const surprises = page.getByRole("table", { name: "Surprises drop paths" });
    await expect(surprises).toContainText("web/Deployment/frontend");
    await expect(surprises).toContainText("default deny — likely auth/default-deny (rollout default-deny: auth)");
    await expect(surprises.locator("code", { hasText: "auth/default-deny" }).first()).toBeVisible();
    await page.getByRole("figure", { name: "Drops in scope by verdict" }).waitFor();
    await page.screenshot({ path: shot("rollout-desktop.png"), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: shot("rollout-phone.png"), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  await test.step("with a write token, the form defaults to ROLLED_BACK", async () => {
    await page.getByLabel("Write token").fill(token);
    await page.getByRole("button", { name: "Use token" }).click();
    await expect(form.getByRole("note")).toContainText("BREACHED");
    await expect(stage).toHaveValue("ROLLED_BACK");
  });

  await test.step("choosing EXPAND shows the verdict and asks for a reason; Confirm waits for it", async () => {
    await stage.selectOption("EXPAND");
    await page.getByRole("button", { name: "Record transition…" }).click();
    await expect(confirm).toContainText("BREACHED");
    await expect(confirm).toContainText("surprise drop path(s), budget 0");
    await expect(confirm.getByRole("button", { name: "Confirm" })).toBeDisabled();
    await confirm.getByLabel(/Override reason/).fill("   ");
    await expect(confirm.getByRole("button", { name: "Confirm" })).toBeDisabled();
    await confirm.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath("guard-confirm.png") });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
  });

  await test.step("without a reason the server refuses the promotion, and the page says why", async () => {
    const refused = await request.post(`/api/v1/rollouts/${id}/stages`, {
      headers: { authorization: `Bearer ${token}` },
      data: { stage: "EXPAND", namespaces: ["auth"] },
    });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.message).toContain('"override"');
    // A page holding a stale verdict (HEALTHY) sends the promotion without a reason: the 409 is shown.
    await page.route(`**/api/v1/rollouts/${id}/health*`, async (route) => {
      const real = await (await route.fetch()).json();
      await route.fulfill({ json: { ...real, verdict: "HEALTHY", healthy: true, breached: false } });
    });
    await page.reload();
    await expect(page.getByRole("region", { name: "Health" }).getByTestId("verdict")).toHaveText("HEALTHY");
    await stage.selectOption("EXPAND");
    await page.getByRole("button", { name: "Record transition…" }).click();
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await expect(form.getByRole("alert")).toContainText("CANARY is BREACHED");
    await expect(form.getByRole("alert")).toContainText('promote with "override"');
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await expect(page.getByRole("list", { name: "Stage timeline" }).getByRole("listitem")).toHaveCount(2);
  });

  await test.step("with a reason the promotion is recorded, the override on the timeline", async () => {
    await page.reload();
    await expect(stage).toHaveValue("ROLLED_BACK");
    await stage.selectOption("EXPAND");
    await page.getByRole("button", { name: "Record transition…" }).click();
    await confirm.getByLabel(/Override reason/).fill("INC-4711: keycloak must be closed tonight; frontend fix ships at 09:00");
    await confirm.getByRole("button", { name: "Confirm" }).click();
    const timeline = page.getByRole("list", { name: "Stage timeline" });
    await expect(timeline.getByRole("listitem")).toHaveCount(3);
    await expect(timeline.getByTestId("override")).toHaveText("promoted over a BREACHED verdict: INC-4711: keycloak must be closed tonight; frontend fix ships at 09:00");
    // The class scope of OBSERVE is shown with the patterns recorded with it.
    await expect(timeline.getByRole("listitem").first()).toContainText("class tier-2");
    await expect(timeline.getByRole("listitem").first().locator("code")).toContainText("!kube-*");
    await timeline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath("rollout-overridden.png"), fullPage: true });
  });
});

test("drops the rollout did not cause are shown beside its budget, not in it", async ({ page, demo }) => {
  const id = demo.get("default-deny: orders");
  if (!id) throw new Error("the demo has no rollout default-deny: orders");
  await page.goto(`/rollouts/${id}?range=24h`);
  const other = page.getByLabel("Other drops in scope");
  await expect(other.getByRole("list", { name: "Other reasons" })).toContainText("CT_MAP_INSERTION_FAILED");
  await expect(other.getByRole("list", { name: "Paths denied by other policies" })).toContainText("orders-db-allowlist");
  const otherPolicies = page.getByRole("table", { name: "Other policies drop paths" });
  await expect(otherPolicies).toContainText("ml-training/Deployment/trainer");
  await expect(otherPolicies).toContainText("denied by other policies: outside this rollout's budget");
  await page.screenshot({ path: test.info().outputPath("rollout-orders.png"), fullPage: true });

  await test.step("the soak is set beside the fixed baseline's length", async () => {
    await page.getByLabel("Write token").fill(await writeToken());
    await page.getByRole("button", { name: "Use token" }).click();
    await page.getByText("Budget and settings").click();
    const settings = page.getByRole("form", { name: "Rollout settings" });
    await expect(settings).toContainText("fixed baseline length before the first enforcing transition; default 24 h");
    await expect(settings).toContainText("ENFORCED runs this long before the rollout completes; default 24 h");
    await settings.getByLabel("Soak (minutes)").fill("120");
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(settings.getByText("Saved.")).toBeVisible();
    await page.reload();
    await page.getByText("Budget and settings").click();
    await expect(page.getByRole("form", { name: "Rollout settings" }).getByLabel("Soak (minutes)")).toHaveValue("120");
    await page.getByRole("region", { name: "Settings" }).screenshot({ path: test.info().outputPath("settings.png") });
  });
});
