// Every dashboard page on the demo data, at desktop and phone width: drawn without console errors,
// nothing wider than a phone, badges whole; full-page screenshots of each (test-results/, beside
// the run's other output: several MB a run, so not kept in the repository) to look at. And
// "still only audited after enforcement" standing out on the overview and namespace pages. The
// rollouts list: breached first, stacked on a phone (e2e/screenshots/rollouts-*.png, kept).
import path from "node:path";
import type { Page } from "@playwright/test";
import { clusterToken, expect, ingest, test, writeToken } from "./fixtures";

const shot = (name: string) => path.resolve("e2e/screenshots", name);
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

/** Waits until no panel is loading. */
async function settled(page: Page) {
  await page.waitForFunction(() => !document.querySelector('[role="status"][aria-label^="Loading"]'), undefined, { timeout: 20_000 });
}

/** Both widths: a screenshot each; on the phone (`check`), nothing overflows sideways and no badge or cell is cut off. */
async function bothWidths(page: Page, name: string, { check = true } = {}) {
  const file = (width: string) => test.info().outputPath(`${name}-${width}.png`);
  await page.setViewportSize(DESKTOP);
  await settled(page);
  await page.screenshot({ path: file("desktop"), fullPage: true });
  await page.setViewportSize(PHONE);
  await settled(page);
  await page.waitForTimeout(300); // the chart re-measures its width
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>(".badge, .stat, .panel, td")].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("details:not([open])"));
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 3).map((e) => e.outerHTML.slice(0, 120)) };
  });
  if (check) {
    expect(overflow.wide, `${name}: cut off on a phone`).toEqual([]);
    expect(overflow.scroll, `${name}: wider than a phone`).toBeLessThanOrEqual(overflow.width);
  }
  await page.screenshot({ path: file("phone"), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

test("every page at desktop and phone width", async ({ page, request, demo }) => {
  test.setTimeout(120_000);
  expect(demo.size).toBeGreaterThan(0);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 404/.test(message.text())) problems.push(message.text());
  });

  await test.step("overview, by namespace and by verdict", async () => {
    await page.goto("/?range=24h");
    await expect(page.getByRole("figure", { name: "Drops by namespace" })).toBeVisible();
    await expect(page.getByRole("list", { name: /rollout stages/ })).toBeVisible();
    await bothWidths(page, "overview");
    await page.goto("/?range=24h&groupBy=verdict");
    await expect(page.getByRole("figure", { name: "Drops by verdict" })).toBeVisible();
    await bothWidths(page, "overview-verdict");
  });

  await test.step("namespace and drop path", async () => {
    await page.goto("/namespaces/auth?range=24h");
    await expect(page.getByRole("figure", { name: "Drops in auth by verdict" })).toBeVisible();
    await bothWidths(page, "namespace");
    await page.getByRole("table", { name: "Top drop paths" }).getByRole("link", { name: /^Open drop path/ }).first().click();
    await expect(page.getByRole("figure", { name: "Path drops by verdict" })).toBeVisible();
    await bothWidths(page, "path");
  });

  // The rollout page's layout is the rollout spec's to check (e2e/screenshots/rollout-*.png): here
  // it is drawn at both widths for a look. The list's is checked below.
  await test.step("rollouts, the breached rollout, clusters", async () => {
    await page.goto("/rollouts");
    await expect(page.getByRole("table", { name: "Rollouts" })).toBeVisible();
    await bothWidths(page, "rollouts");
    await page.goto(`/rollouts/${demo.get("default-deny: auth")}?range=24h`);
    await expect(page.getByRole("figure", { name: "Drops in scope by verdict" })).toBeVisible();
    await bothWidths(page, "rollout-page", { check: false });
    await page.goto("/clusters");
    await expect(page.getByRole("table", { name: "Clusters" })).toBeVisible();
    await bothWidths(page, "clusters-page");
  });

  await test.step("a shared view, a bad address, a 404", async () => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 12 * 3_600_000);
    const view = `/?groupBy=verdict&namespace=auth&from=${from.toISOString()}&to=${to.toISOString()}`;
    const created = await (await request.post("/api/v1/links", { data: { path: view, title: "auth canary, 18:40 incident" } })).json();
    await page.goto(created.url);
    await expect(page.getByTestId("link-title")).toHaveText("auth canary, 18:40 incident");
    await expect(page).toHaveTitle("auth canary, 18:40 incident · Dropboard");
    await bothWidths(page, "shared-view");
    await page.goto("/?range=banana&from=%27");
    await expect(page.getByTestId("ignored-params")).toBeVisible();
    await bothWidths(page, "bad-address");
    await page.goto("/s/no-such-link");
    await expect(page.getByRole("heading", { name: "No such short link" })).toBeVisible();
    await bothWidths(page, "not-found");
  });
  expect(problems).toEqual([]);
});

test("the rollouts list: breached first, also once verdicts arrive; stacked rows on a phone", async ({ page, request, demo }) => {
  test.setTimeout(120_000);
  expect(demo.size).toBeGreaterThan(0);
  // Verdicts are judged on the server's timer (the demo may be younger than its first round).
  const authVerdict = async () => ((await (await request.get("/api/v1/rollouts")).json()).rollouts as { name: string; lastVerdict: string | null }[]).find((r) => r.name === "default-deny: auth")?.lastVerdict;
  await expect.poll(authVerdict, { timeout: 45_000 }).toBe("BREACHED");
  // The page's first read is from before that judgement (no verdicts yet); its next read, 30 s later
  // and without a reload, brings them: the breached rollout must then move to the top.
  let reads = 0;
  await page.route(/\/api\/v1\/rollouts$/, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (reads++ === 0) for (const r of body.rollouts) r.lastVerdict = null;
    await route.fulfill({ response, json: body });
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/rollouts");
  const table = page.getByRole("table", { name: "Rollouts" });
  const rows = table.getByTestId("rollout-row");
  const auth = rows.filter({ hasText: "default-deny: auth" });
  const names = () => rows.getByRole("link").allTextContents();
  await expect(auth.locator("td[data-label=verdict]")).toHaveText("–");
  // Not judged yet, the latest canary first: orders' (6 h ago) above auth's (12 h ago).
  expect((await names()).indexOf("default-deny: orders")).toBeLessThan((await names()).indexOf("default-deny: auth"));
  await expect(auth.getByTestId("verdict")).toHaveText("BREACHED", { timeout: 40_000 });
  await expect(rows.first().getByTestId("verdict")).toHaveText(/^(BREACHED|NOT ENFORCED)$/);
  await page.unroute(/\/api\/v1\/rollouts$/);
  const order = await names();
  const at = (name: string) => order.indexOf(name);
  expect(at("default-deny: auth")).toBeGreaterThanOrEqual(0);
  expect(at("default-deny: auth"), order.join(" | ")).toBeLessThan(at("default-deny: inventory"));
  expect(at("default-deny: auth"), order.join(" | ")).toBeLessThan(at("default-deny: orders"));
  await page.screenshot({ path: shot("rollouts-desktop.png"), fullPage: true });

  await page.setViewportSize({ width: 375, height: 812 });
  const phone = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>("main *")].filter((e) => {
      const box = e.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || box.left < -1) && !e.closest("thead, details:not([open])");
    });
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 3).map((e) => e.outerHTML.slice(0, 120)) };
  });
  expect(phone.wide, "cut off on a phone").toEqual([]);
  expect(phone.scroll, "wider than a phone").toBeLessThanOrEqual(phone.width);
  // Name, stage, verdict and since of the breached rollout, all on screen without scrolling sideways.
  for (const cell of [auth.getByRole("link"), auth.locator(".stage-canary"), auth.getByTestId("verdict"), auth.locator("td[data-label=since]")]) {
    await expect(cell).toBeVisible();
    const box = await cell.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375, `${await cell.evaluate((e) => e.outerHTML.slice(0, 80))} at ${JSON.stringify(box)}`).toBe(true);
  }
  await page.screenshot({ path: shot("rollouts-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("AUDIT drops where a rollout enforces stand out on the overview and the namespace page", async ({ page, request, cluster }) => {
  const token = await clusterToken(cluster);
  const write = await writeToken();
  const headers = { authorization: `Bearer ${write}` };
  const rollout = await (await request.post("/api/v1/rollouts", { headers, data: { name: `default-deny vault ${cluster}`, clusters: [cluster] } })).json();
  const canaryAt = new Date(Date.now() - 60 * 60_000).toISOString();
  expect((await request.post(`/api/v1/rollouts/${rollout.id}/stages`, { headers, data: { stage: "CANARY", namespaces: ["vault"], at: canaryAt } })).status()).toBe(201);
  const drop = (i: number, verdict: "AUDIT" | "DROPPED", minutesAgo: number) =>
    JSON.stringify({
      format: "native",
      time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      cluster,
      verdict,
      direction: "INGRESS",
      srcNamespace: "web",
      srcWorkload: "Deployment/frontend",
      dstNamespace: "vault",
      dstWorkload: "StatefulSet/vault",
      dstPort: 8200,
      protocol: "TCP",
      key: `vault-${verdict}-${i}-${minutesAgo}`,
    });
  // Audited before the canary (fine), enforced after it, and 6 still only audited 20 minutes ago.
  const lines = [...Array.from({ length: 5 }, (_, i) => drop(i, "AUDIT", 90)), ...Array.from({ length: 8 }, (_, i) => drop(i, "DROPPED", 30)), ...Array.from({ length: 6 }, (_, i) => drop(i, "AUDIT", 20))];
  expect(await (await ingest(request, token, lines.join("\n"))).json()).toMatchObject({ accepted: 19 });

  await page.goto(`/?range=6h&cluster=${cluster}`);
  const note = page.getByTestId("still-audited");
  await expect(note).toContainText("Still only audited after enforcement");
  await expect(note).toContainText("vault");
  await expect(note).toContainText(`default-deny vault ${cluster}`);
  await expect(page.getByTestId("stat-audit").locator("xpath=..")).toContainText("6 after enforcement");

  await page.goto(`/?range=6h&cluster=${cluster}&groupBy=verdict`);
  await page.getByText("Data table").click();
  await expect(page.getByTestId("total-AUDIT after enforcement")).toHaveText("6");
  await expect(page.getByTestId("total-AUDIT")).toHaveText("5");
  await expect(page.getByTestId("total-all")).toHaveText("19");

  await page.goto(`/namespaces/vault?range=6h&cluster=${cluster}`);
  await expect(page.getByTestId("still-audited")).toContainText("6");
  await expect(page.getByRole("figure", { name: "Drops in vault by verdict" }).locator(".legend")).toContainText("AUDIT after enforcement 6");
  await page.screenshot({ path: test.info().outputPath("still-audited.png"), fullPage: true });
});
