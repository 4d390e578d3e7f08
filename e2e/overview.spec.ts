// The overview shows exactly what was ingested, follows the URL, and its links survive.
import { expect, hubbleLines, ingest, test } from "./fixtures";

test("the overview shows the seeded counts, filters through the URL, and a copied link reopens the same view", async ({ page, context, request, ingestToken, cluster }, testInfo) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const seeded = { payments: 120, checkout: 45 };
  for (const [namespace, count] of Object.entries(seeded)) {
    const reply = await (await ingest(request, ingestToken, hubbleLines(cluster, count, namespace))).json();
    expect(reply.accepted).toBe(count);
  }

  await test.step("totals and per-namespace counts match what was sent", async () => {
    await page.goto(`/?range=1h&cluster=${cluster}`);
    await expect(page.getByTestId("stat-total")).toHaveText("165");
    await expect(page.getByTestId("stat-dropped")).toHaveText("165");
    await expect(page.getByTestId("stat-audit")).toHaveText("0");
    await page.getByText("Data table").click();
    await expect(page.getByTestId("total-payments")).toHaveText("120");
    await expect(page.getByTestId("total-checkout")).toHaveText("45");
    await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
  });

  await test.step("a namespace filter narrows the numbers and lands in the URL", async () => {
    await page.getByRole("list", { name: "Top namespaces" }).getByRole("button", { name: "checkout" }).click();
    await expect(page).toHaveURL(/namespace=checkout/);
    await expect(page.getByTestId("stat-total")).toHaveText("45");
  });

  await test.step("a preset changes the range in the URL", async () => {
    await page.getByRole("button", { name: "6h", exact: true }).click();
    await expect(page).toHaveURL(/range=6h/);
    await expect(page.getByTestId("stat-total")).toHaveText("45");
  });

  await test.step("Copy link pins the range; the link opens the same view", async () => {
    await page.getByTestId("copy-link").click();
    await expect(page.getByText("Link copied")).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/from=/);
    expect(link).toMatch(/to=/);
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId("stat-total")).toHaveText("45");
    await expect(other.getByRole("button", { name: /→/ })).toBeVisible();
  });

  await test.step("Share makes a short link that opens the same pinned view", async () => {
    await page.getByRole("button", { name: "Share" }).click();
    await page.getByLabel("Title (optional)").fill("checkout drops");
    await page.getByRole("button", { name: "Create short link" }).click();
    const link = await page.getByTestId("short-link").textContent();
    expect(link).toMatch(/\/s\/[\w-]+$/);
    const other = await context.newPage();
    await other.goto(link as string);
    await expect(other).toHaveURL(/from=.*namespace=checkout|namespace=checkout.*from=/);
    await expect(other.getByTestId("stat-total")).toHaveText("45");
  });
});

test("an empty range says how to send data", async ({ page }) => {
  await page.goto("/?from=2001-01-01T00:00:00.000Z&to=2001-01-01T01:00:00.000Z");
  await expect(page.getByText("No drops in this range.")).toBeVisible();
  await expect(page.getByText("npm run demo")).toBeVisible();
});

test("an API failure shows an error with a retry", async ({ page }) => {
  await page.route("**/api/v1/drops/series**", (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "boom" } }) }));
  await page.goto("/?range=1h");
  await expect(page.getByRole("alert").first()).toContainText("boom");
  await expect(page.getByRole("button", { name: "Retry" }).first()).toBeVisible();
});
