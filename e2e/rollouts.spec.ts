// A release manager's path: record a rollout and its canary in the UI, see the transition on the
// overview chart, watch the verdict change when a never-audited path starts dropping, acknowledge
// it as noise, and share the rollout by link.
import { clusterToken, expect, ingest, test, writeToken } from "./fixtures";

function drop(cluster: string, i: number, spec: { to: string; verdict: "DROPPED" | "AUDIT"; minutesAgo: number }) {
  return JSON.stringify({
    format: "native",
    time: new Date(Date.now() - spec.minutesAgo * 60_000).toISOString(),
    cluster,
    verdict: spec.verdict,
    direction: "INGRESS",
    srcNamespace: "web",
    srcWorkload: "Deployment/frontend",
    dstNamespace: "shop",
    dstWorkload: `Deployment/${spec.to}`,
    dstPort: 8080,
    protocol: "TCP",
    key: `${spec.to}-${spec.verdict}-${i}-${spec.minutesAgo}`,
  });
}

test("record a rollout, see its marker, watch the verdict change, share it", async ({ page, context, request, cluster }, testInfo) => {
  test.setTimeout(90_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const ingestToken = await clusterToken(cluster);
  // Audit mode saw cart being denied: enforcing will drop it, as predicted.
  const audited = Array.from({ length: 20 }, (_, i) => drop(cluster, i, { to: "cart", verdict: "AUDIT", minutesAgo: 50 - i }));
  expect(await (await ingest(request, ingestToken, audited.join("\n"))).json()).toMatchObject({ accepted: 20 });

  await page.goto("/rollouts");
  await page.getByLabel("Write token").fill(await writeToken());
  await page.getByRole("button", { name: "Use token" }).click();
  await expect(page.getByText("Write token set in this browser.")).toBeVisible();
  const name = `default-deny shop ${cluster}`;
  await page.getByLabel("Name (the policy change)").fill(name);
  await page.getByLabel("Owner").fill("team-shop");
  await page.getByLabel("Clusters (empty: all)").fill(cluster);
  await page.getByRole("button", { name: "Create rollout" }).click();
  await expect(page).toHaveURL(/\/rollouts\/[\w-]+/);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("no stage recorded yet")).toBeVisible();

  await test.step("record the canary, with confirmation", async () => {
    await page.getByRole("combobox", { name: "Stage", exact: true }).selectOption("CANARY");
    await page.getByRole("form", { name: "Record a transition" }).getByLabel("Namespaces").fill("shop");
    await page.getByLabel("Note").fill("first canary");
    await page.getByRole("button", { name: "Record transition…" }).click();
    await expect(page.getByRole("alertdialog", { name: "Confirm the transition" })).toContainText("on shop now?");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByRole("list", { name: "Stage timeline" })).toContainText("CANARY");
    await expect(page.getByTestId("verdict").first()).toHaveText("INSUFFICIENT DATA");
    // The next stage starts from the current scope (expanding keeps the canary's namespaces).
    await expect(page.getByRole("form", { name: "Record a transition" }).getByLabel("Namespaces")).toHaveValue("shop");
  });

  await test.step("a never-audited path starts dropping: BREACHED, the surprise listed", async () => {
    const surprise = Array.from({ length: 5 }, (_, i) => drop(cluster, i, { to: "checkout", verdict: "DROPPED", minutesAgo: 0 }));
    const enforced = Array.from({ length: 5 }, (_, i) => drop(cluster, i, { to: "cart", verdict: "DROPPED", minutesAgo: 0 }));
    expect(await (await ingest(request, ingestToken, [...surprise, ...enforced].join("\n"))).json()).toMatchObject({ accepted: 10 });
    await page.reload();
    await expect(page.getByTestId("verdict").first()).toHaveText("BREACHED");
    await expect(page.getByText("1 surprise drop path(s), budget 0")).toBeVisible();
    await expect(page.getByRole("table", { name: "Surprises drop paths" })).toContainText("shop/Deployment/checkout");
    await expect(page.getByRole("table", { name: "Expected drop paths" })).toContainText("shop/Deployment/cart");
    await page.screenshot({ path: testInfo.outputPath("rollout-breached.png"), fullPage: true });
  });

  await test.step("acknowledging the surprise as noise takes it out of the budget", async () => {
    await page.getByRole("table", { name: "Surprises drop paths" }).getByRole("button", { name: "Add exception…" }).click();
    await page.getByLabel("Reason (required)").fill("synthetic checker");
    await page.getByRole("button", { name: "Save exception" }).click();
    await expect(page.getByRole("table", { name: "Acknowledged drop paths" })).toContainText("shop/Deployment/checkout");
    await expect(page.getByTestId("verdict").first()).toHaveText("INSUFFICIENT DATA");
  });

  await test.step("the budget can be changed on the page", async () => {
    await page.getByText("Budget and settings").click();
    const settings = page.getByRole("form", { name: "Rollout settings" });
    await settings.getByLabel("Max surprise paths").fill("2");
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("region", { name: "Health" })).toContainText("budget 2");
  });

  await test.step("pre-flight lists what promoting would start dropping", async () => {
    const preflight = page.getByRole("region", { name: "Pre-flight" });
    await preflight.getByLabel("Namespaces").fill("shop");
    await preflight.getByRole("button", { name: "Check" }).click();
    await expect(preflight).toContainText("1 path(s), 20 AUDIT drops in the last 24 h");
    await expect(preflight.getByRole("table", { name: "Would start dropping" })).toContainText("shop/Deployment/cart");
  });

  await test.step("Copy link shares the rollout", async () => {
    await page.getByTestId("copy-link").click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/rollouts\/[\w-]+\?.*from=/);
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByRole("heading", { name })).toBeVisible();
  });

  await test.step("the overview chart marks the transition, linking to the rollout", async () => {
    await page.goto(`/?cluster=${cluster}&range=1h`);
    const markers = page.getByRole("list", { name: /rollout stages/ });
    await expect(markers).toContainText("CANARY");
    await expect(markers).toContainText("first canary");
    // Hovering the transition's bucket names it in the chart's tooltip.
    const box = await page.locator(".recharts-reference-line").first().boundingBox();
    if (!box) throw new Error("no marker line drawn");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.locator(".tooltip-marker")).toContainText(name);
    await expect(page.locator(".tooltip-marker")).toContainText("first canary");
    await page.screenshot({ path: testInfo.outputPath("overview-markers.png"), fullPage: true });
    await markers.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
  });
});
