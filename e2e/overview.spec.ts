// The overview shows exactly what was ingested, every number over one range, follows the URL, and
// its links survive.
import type { Page } from "@playwright/test";
import { expect, hubbleLines, ingest, test } from "./fixtures";

/** The from/to of every drops API call the page makes. */
function recordRanges(page: Page): Set<string> {
  const ranges = new Set<string>();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!/^\/api\/v1\/(drops\/(series|paths|policies|still-audited)|rollouts\/markers)$/.test(url.pathname)) return;
    ranges.add(`${url.searchParams.get("from")} → ${url.searchParams.get("to")}`);
  });
  return ranges;
}

test("the overview shows the seeded counts, every number over one range, filters through the URL, and a copied link reopens the same view", async ({ page, context, request, ingestToken, cluster }, testInfo) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const seeded = { payments: 120, checkout: 45 };
  for (const [namespace, count] of Object.entries(seeded)) {
    const reply = await (await ingest(request, ingestToken, hubbleLines(cluster, count, namespace))).json();
    expect(reply.accepted).toBe(count);
  }

  const ranges = recordRanges(page);
  await test.step("totals, chart, tables and paths agree, over one range the page states", async () => {
    await page.goto(`/?range=1h&cluster=${cluster}`);
    await expect(page.getByTestId("stat-total")).toHaveText("165");
    await expect(page.getByTestId("stat-dropped")).toHaveText("165");
    await expect(page.getByTestId("stat-audit")).toHaveText("0");
    await expect(page.getByTestId("stat-total").locator("xpath=..").getByText(/previous period|none in/)).toBeVisible();
    await page.getByText("Data table").click();
    await expect(page.getByTestId("total-payments")).toHaveText("120");
    await expect(page.getByTestId("total-checkout")).toHaveText("45");
    await expect(page.getByTestId("total-all")).toHaveText("165");
    const totals = page.getByRole("table", { name: "Top drop paths" }).locator("td.c-total");
    await expect(totals).toHaveCount(2);
    expect((await totals.allTextContents()).map((t) => Number(t.replace(/,/g, ""))).reduce((a, b) => a + b, 0)).toBe(165);
    await expect(page.getByRole("list", { name: "Top namespaces" })).toContainText("120");
    // The range line and the chart caption say which range: the one every request covered.
    await expect(page.getByTestId("page-range")).toContainText("60 buckets of minute");
    await expect(page.getByTestId("chart-range")).toContainText("60 buckets of minute");
    // The server renders the first view with its data and its chart's first picture (no API round trip, no JavaScript).
    const html = await (await request.get(`/?range=1h&cluster=${cluster}`)).text();
    expect(html).toContain('data-testid="stat-total">165<');
    expect(html).toMatch(/data-chart="drops"[^]*<path d="M/);
    await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
  });

  await test.step("a namespace filter narrows the numbers and lands in the URL; every request covers one range", async () => {
    await page.getByRole("list", { name: "Top namespaces" }).getByRole("button", { name: "Filter to checkout" }).click();
    await expect(page).toHaveURL(/namespace=checkout/);
    await expect(page.getByTestId("stat-total")).toHaveText("45");
    await expect(page.getByRole("table", { name: "Top drop paths" }).locator("td.c-total")).toHaveCount(1);
    const periods = new Set([...ranges].filter((r) => !r.startsWith("null")));
    // The current window and the previous period: nothing else.
    expect(periods.size, [...periods].join("\n")).toBe(2);
    const [a, b] = [...periods].map((r) => r.split(" → "));
    expect(a?.[0] === b?.[1] || b?.[0] === a?.[1]).toBe(true);
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
    await expect(other.getByRole("button", { name: /UTC$/ })).toHaveAttribute("aria-expanded", "false");
    // The pinned range is what the first page showed.
    await expect(other.getByTestId("page-range").locator("strong")).toHaveText((await page.getByTestId("page-range").locator("strong").textContent()) ?? "");
  });

  await test.step("Share makes a short link that opens the same pinned view, its title a banner and the tab's title", async () => {
    await page.getByRole("button", { name: "Share" }).click();
    await page.getByLabel("Title (optional)").fill("checkout drops");
    await page.getByRole("button", { name: "Create short link" }).click();
    const link = await page.getByTestId("short-link").textContent();
    expect(link).toMatch(/\/s\/[\w-]+$/);
    const other = await context.newPage();
    await other.goto(link as string);
    await expect(other).toHaveURL(/namespace=checkout/);
    await expect(other).toHaveURL(/from=/);
    await expect(other.getByTestId("stat-total")).toHaveText("45");
    await expect(other.getByTestId("link-title")).toHaveText("checkout drops");
    await expect(other.getByRole("region", { name: "Shared view" })).toContainText("the shared view");
    await expect(other).toHaveTitle(/^checkout drops · Dropboard/);
    // Changing the view says so, and offers the way back.
    await other.getByText("Verdict: all").click();
    await other.getByRole("group", { name: "Verdict" }).getByLabel("DROPPED").check();
    await expect(other.getByRole("region", { name: "Shared view" })).toContainText("you changed the view since");
  });
});

test("keyboard: Escape closes a filter menu and the Absolute… form, which opens on the range shown", async ({ page }) => {
  await page.goto("/?from=2026-01-01T00:00:00.000Z&to=2026-01-02T00:00:00.000Z");
  await page.getByText("Cluster: all").click();
  await expect(page.getByRole("group", { name: "Cluster" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("group", { name: "Cluster" })).toBeHidden();

  await page.getByRole("button", { name: /UTC$/ }).click();
  const form = page.getByRole("form", { name: "Absolute range" });
  await expect(form.getByLabel("From (UTC)")).toHaveValue("2026-01-01T00:00");
  await expect(form.getByLabel("To (UTC)")).toHaveValue("2026-01-02T00:00");
  await page.keyboard.press("Escape");
  await expect(form).toBeHidden();

  // A live preset: the form opens on the window the page shows (whole 15-minute buckets for 24 h).
  await page.getByRole("button", { name: "24h", exact: true }).click();
  await page.getByRole("button", { name: "Absolute…" }).click();
  const from = await form.getByLabel("From (UTC)").inputValue();
  expect(Number(from.slice(14, 16)) % 15).toBe(0);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(form).toBeHidden();
});

test("an empty range: the first-time hint only when nothing is stored, else when the last drop arrived", async ({ page, request, ingestToken, cluster }) => {
  await ingest(request, ingestToken, hubbleLines(cluster, 3));
  await page.goto("/?from=2001-01-01T00:00:00.000Z&to=2001-01-01T01:00:00.000Z");
  await expect(page.getByText("No drops in this range.")).toBeVisible();
  await expect(page.getByTestId("last-drop")).toContainText(/The last drop arrived at (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC/);
  await expect(page.getByText("npm run demo")).toHaveCount(0);

  // A fresh install (no cluster has sent a drop): how to send data.
  await page.route("**/api/v1/clusters**", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ from: "", to: "", now: new Date().toISOString(), livenessMinutes: 5, clusters: [] }) }),
  );
  await page.reload();
  await expect(page.getByText("No drops stored yet.")).toBeVisible();
  await expect(page.getByText("npm run demo")).toBeVisible();
});

test("a failed request shows in its own panel with a Retry; the others show their data", async ({ page }) => {
  let failing = true;
  await page.route("**/api/v1/drops/paths**", (route) =>
    failing ? route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "boom" } }) }) : route.continue(),
  );
  // The first load is rendered with its data on the server; the browser asks when the range changes.
  await page.goto("/?range=6h");
  await page.getByRole("button", { name: "1h", exact: true }).click();
  const paths = page.getByRole("region", { name: "Top drop paths" });
  await expect(paths.getByRole("alert")).toContainText("boom", { timeout: 15_000 });
  // The tiles that do not need paths have their numbers; the paths tile says it failed.
  await expect(page.getByTestId("stat-total")).not.toHaveText("…");
  await expect(page.getByRole("region", { name: "Totals" }).getByRole("alert")).toContainText("boom");
  await expect(page.getByRole("region", { name: "Top namespaces" }).getByRole("alert")).toHaveCount(0);
  failing = false;
  await paths.getByRole("button", { name: "Retry" }).click();
  await expect(paths.getByRole("alert")).toHaveCount(0);
  await expect(page.getByTestId("stat-paths")).not.toHaveText("–");

  // The series failing: the chart says so with a Retry; "previous" never reads 0 meanwhile.
  await page.route("**/api/v1/drops/series**", (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "series down" } }) }));
  await page.getByRole("button", { name: "24h", exact: true }).click();
  await expect(page.getByRole("region", { name: "Drops over time" }).getByRole("alert")).toContainText("series down", { timeout: 15_000 });
  await expect(page.getByRole("region", { name: "Drops over time" }).getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(page.getByText("previous: 0")).toHaveCount(0);
});

test("bad URL parameters are named and ignored, never a crash", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto("/?range=banana&from=%27&to=2026-01-01T00:00:00Z&verdict=NOPE&groupBy=t");
  const notice = page.getByTestId("ignored-params");
  await expect(notice).toContainText("range=banana");
  await expect(notice).toContainText("from='");
  await expect(notice).toContainText("verdict=NOPE");
  await expect(notice).toContainText("groupBy=t");
  await expect(notice).toContainText("Showing the last 24h instead");
  await expect(page.getByRole("button", { name: "24h", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("stat-total")).not.toHaveText("…");
  await page.getByRole("button", { name: "Remove from the address" }).click();
  await expect(notice).toHaveCount(0);
  await expect(page).not.toHaveURL(/banana/);
  expect(problems).toEqual([]);
});

test("a namespace named t or (other) is a series of its own, never the time axis or the summed rest", async ({ page, request, ingestToken, cluster }) => {
  for (const namespace of ["t", "(other)"]) await ingest(request, ingestToken, hubbleLines(cluster, 7, namespace));
  await page.goto(`/?range=1h&cluster=${cluster}`);
  await page.getByText("Data table").click();
  await expect(page.getByTestId("total-t")).toHaveText("7");
  await expect(page.getByTestId("total-(other)")).toHaveText("7");
  await expect(page.getByTestId("total-all")).toHaveText("14");
  // The chart draws both (two stacked areas), and its time axis has its ticks.
  await expect(page.locator(".recharts-area-area")).toHaveCount(2);
  await expect(page.getByRole("figure", { name: "Drops by namespace" }).getByText(/^\d\d:\d0$/).first()).toBeVisible();
});
