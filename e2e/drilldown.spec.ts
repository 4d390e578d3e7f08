// Drill-down: overview -> namespace page -> drop path page, numbers agreeing at every step.
import { expect, hubbleLines, ingest, test } from "./fixtures";

test("a namespace page and a drop path page show the drops behind the overview", async ({ page, request, ingestToken, cluster }, testInfo) => {
  const reply = await (await ingest(request, ingestToken, hubbleLines(cluster, 75, "billing"))).json();
  expect(reply.accepted).toBe(75);

  await page.goto(`/?range=1h&cluster=${cluster}`);
  await page.getByRole("link", { name: "Open billing" }).click();
  await expect(page).toHaveURL(new RegExp(`/namespaces/billing\\?.*cluster=${cluster}`));
  await expect(page.getByRole("heading", { name: "billing" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Drops over time · 75/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Drop events" }).getByRole("row")).toHaveCount(51); // header + first page of 50
  await page.getByRole("button", { name: "Load older events" }).click();
  await expect(page.getByRole("table", { name: "Drop events" }).getByRole("row")).toHaveCount(76);
  await page.getByRole("button", { name: "Show fields" }).first().click();
  await expect(page.locator("pre.event-fields")).toContainText('"dstNamespace": "billing"');
  await page.screenshot({ path: testInfo.outputPath("namespace.png"), fullPage: true });

  await page.getByRole("link", { name: /^Open drop path web\/.* to billing\// }).click();
  await expect(page).toHaveURL(new RegExp(`/paths/${cluster}/\\d+`));
  await expect(page.getByRole("heading", { name: /web\/frontend → billing\/api:8080\/TCP/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Timeline · 75 drops/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("path.png"), fullPage: true });
});

test("an unknown drop path is a 404 page", async ({ page }) => {
  const response = await page.goto("/paths/nope/123");
  expect(response?.status()).toBe(404);
});
