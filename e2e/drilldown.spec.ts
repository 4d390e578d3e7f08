// Drill-down: overview -> namespace page -> drop path page, numbers agreeing at every step; what
// does not exist is the app's own 404 page, saying what is missing.
import { expect, hubbleLines, ingest, test } from "./fixtures";

test("a namespace page and a drop path page show the drops behind the overview", async ({ page, request, ingestToken, cluster }, testInfo) => {
  const reply = await (await ingest(request, ingestToken, hubbleLines(cluster, 75, "billing"))).json();
  expect(reply.accepted).toBe(75);

  await page.goto(`/?range=1h&cluster=${cluster}`);
  // The namespace's name opens its page (the funnel beside it filters).
  await page.getByRole("list", { name: "Top namespaces" }).getByRole("link", { name: "billing" }).click();
  await expect(page).toHaveURL(new RegExp(`/namespaces/billing\\?.*cluster=${cluster}`));
  await expect(page).toHaveTitle(/^billing · Dropboard/);
  await expect(page.getByRole("heading", { name: "billing" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Drops over time · 75/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Drop paths · 1 · 75 drops/ })).toBeVisible();
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

test("what does not exist is a 404 page that says what is missing", async ({ page }) => {
  const cases: [string, RegExp][] = [
    ["/paths/nope/123", /No such drop path/],
    ["/paths/x/abc", /No such drop path/],
    ["/s/no-such-link", /No such short link/],
    ["/rollouts/no-such-rollout", /No such rollout/],
    ["/namespaces/a%00b", /Not a namespace name/],
    ["/no/such/page", /Page not found/],
  ];
  for (const [path, title] of cases) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: title }), path).toBeVisible();
    await expect(page.getByRole("link", { name: "Dropboard" }), path).toBeVisible();
  }
});
