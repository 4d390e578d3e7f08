// The measurement loop on the rollout page: proof of enforcement (a canary whose predicted path
// keeps arriving as AUDIT is NOT_ENFORCED, which gates fail), the application error budget when
// Prometheus cannot be asked (unavailable, said prominently: INSUFFICIENT_DATA, never a pass),
// exceptions with an owner, an expiry and a scope (added from the keyboard, listed, removed for
// their scope), the error ratio drawn under the drops, and the error budget settings.
import path from "node:path";
import type { Page } from "@playwright/test";
import { clusterToken, expect, ingest, test, writeToken } from "./fixtures";

const shot = (name: string) => path.resolve("e2e/screenshots", name);
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const QUERY = 'sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window])) / sum(rate(http_requests_total{namespace=~"$namespaces"}[$window]))';
// e2e runs `next start` without PROMETHEUS_URL: an error query has no Prometheus to ask.
const NO_PROMETHEUS = "no Prometheus configured (PROMETHEUS_URL)";

function drop(cluster: string, to: string, verdict: "DROPPED" | "AUDIT", minutesAgo: number, i = 0): string {
  return JSON.stringify({
    format: "native",
    time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    cluster,
    verdict,
    direction: "INGRESS",
    srcNamespace: "web",
    srcWorkload: "Deployment/frontend",
    dstNamespace: "shop",
    dstWorkload: `Deployment/${to}`,
    dstPort: 8080,
    protocol: "TCP",
    key: `${to}-${verdict}-${minutesAgo}-${i}`,
  });
}

const minutes = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

/** A rollout on `cluster` with an error query (and a ratio limit), its CANARY on shop backdated 30 min. */
async function canaryRollout(request: Page["request"], token: string, cluster: string, name: string): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const created = await request.post("/api/v1/rollouts", {
    headers,
    data: { name, clusters: [cluster], owner: "team-shop", errorQuery: QUERY, budget: { maxNewPaths: 0, maxErrorRatio: 0.02 } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  const stage = await request.post(`/api/v1/rollouts/${id}/stages`, { headers, data: { stage: "CANARY", namespaces: ["shop"], at, note: "canary, backdated" } });
  expect(stage.status()).toBe(201);
  return id;
}

test("audit mode left on is NOT_ENFORCED; an exception with an expiry takes the path out; the error budget says it cannot be read", async ({ page, request, cluster }) => {
  test.setTimeout(120_000);
  const ingestToken = await clusterToken(cluster);
  const write = await writeToken();
  // Audit mode predicted two paths before the canary (35-60 min ago). After it (the last 9 min, past
  // the 10 min grace period), cart arrives as DROPPED (enforced) and reports still only as AUDIT.
  const before = [...minutes(60, 35).map((m) => drop(cluster, "cart", "AUDIT", m)), ...minutes(60, 35).map((m) => drop(cluster, "reports", "AUDIT", m))];
  const after = [...minutes(9, 2).map((m) => drop(cluster, "cart", "DROPPED", m)), ...minutes(9, 2).map((m) => drop(cluster, "reports", "AUDIT", m))];
  expect(await (await ingest(request, ingestToken, [...before, ...after].join("\n"))).json()).toMatchObject({ accepted: before.length + after.length });
  const id = await canaryRollout(request, write, cluster, `default-deny shop ${cluster}`);

  await test.step("the API: NOT_ENFORCED fails the gate, the error signal is unavailable", async () => {
    const health = await (await request.get(`/api/v1/rollouts/${id}/health`)).json();
    expect(health).toMatchObject({ verdict: "NOT_ENFORCED", healthy: false, breached: true });
    expect(health.figures.enforcement).toMatchObject({ predicted: 2, enforced: 1, stillAudited: 1, judged: true });
    expect(health.figures.errors).toMatchObject({ status: "unavailable", detail: NO_PROMETHEUS });
  });

  const health = page.getByRole("region", { name: "Health" });
  await test.step("the page: NOT ENFORCED, distinct, failing gates, with the enforcement figure and the still-audited path", async () => {
    await page.goto(`/rollouts/${id}?range=1h`);
    await expect(health.getByTestId("verdict")).toHaveText("NOT ENFORCED");
    await expect(health.getByTestId("verdict")).toHaveClass(/verdict-theatre/);
    await expect(health.getByTestId("gate")).toHaveText("gate: fails");
    await expect(health.getByTestId("not-enforced")).toContainText("Policy not enforced: predicted paths still arrive as AUDIT");
    await expect(health.getByTestId("not-enforced")).toContainText("Gates fail this stage");
    await expect(health.getByTestId("enforcement")).toHaveText("1 of 2 predicted paths now dropped; 1 still only audited");
    await expect(health.getByRole("img", { name: "1 now dropped, 1 still only audited" })).toBeVisible();
    const stillAudited = page.getByRole("table", { name: "Still only audited drop paths" });
    await expect(stillAudited).toContainText("shop/Deployment/reports");
    await expect(stillAudited).not.toContainText("shop/Deployment/cart");
    await expect(page.getByRole("table", { name: "Expected drop paths" })).toContainText("shop/Deployment/cart");
  });

  await test.step("the error budget cannot be read: said prominently, in the figures and under the chart", async () => {
    const unavailable = health.getByTestId("error-budget-unavailable");
    await expect(unavailable).toContainText(`Error ratio unavailable: ${NO_PROMETHEUS}`);
    await expect(unavailable).toContainText("INSUFFICIENT_DATA");
    await expect(page.getByTestId("error-chart-unavailable")).toContainText(NO_PROMETHEUS);
    await page.getByRole("figure", { name: "Drops in scope by verdict" }).waitFor();
    await page.screenshot({ path: shot("measurement-desktop.png"), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: shot("measurement-phone.png"), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  await test.step("the promotion form says NOT ENFORCED needs an override, without defaulting to a rollback", async () => {
    await page.getByLabel("Write token").fill(write);
    await page.getByRole("button", { name: "Use token" }).click();
    const form = page.getByRole("form", { name: "Record a transition" });
    await expect(form.getByRole("note")).toContainText("NOT ENFORCED");
    await expect(form.getByRole("combobox", { name: "Stage", exact: true })).not.toHaveValue("ROLLED_BACK");
  });

  await test.step("an exception, from the keyboard: reason, default owner, 24 h expiry, this rollout", async () => {
    const add = page.getByRole("table", { name: "Still only audited drop paths" }).getByRole("button", { name: "Add exception…" });
    await add.focus();
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: "Add an exception" });
    await expect(form).toContainText("web/Deployment/frontend → shop/Deployment/reports:8080/TCP");
    // Esc closes it and gives focus back.
    await page.keyboard.press("Escape");
    await expect(form).toBeHidden();
    await expect(add).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(form.getByLabel("Reason (required)")).toBeFocused();
    await expect(form.getByRole("button", { name: "Save exception" })).toBeDisabled();
    await page.keyboard.type("reports is allowed by the mesh until the egress rollout");
    await form.getByLabel("Expires", { exact: true }).selectOption("24h");
    await expect(form.getByRole("radio", { name: /this rollout/ })).toBeChecked();
    await page.getByRole("region", { name: "Still only audited" }).screenshot({ path: shot("measurement-exception-form.png") });
    await form.getByLabel("Reason (required)").focus();
    const posted = page.waitForRequest((r) => r.url().endsWith("/api/v1/acknowledgements") && r.method() === "POST");
    await page.keyboard.press("Enter");
    const body = (await posted).postDataJSON();
    expect(body).toMatchObject({ cluster, rolloutId: id, reason: "reports is allowed by the mesh until the egress rollout" });
    expect(body.owner).toBeUndefined();
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await expect(form).toBeHidden();
  });

  await test.step("out of the budget: no longer NOT_ENFORCED; now the unread error budget holds the verdict", async () => {
    await expect(health.getByTestId("verdict")).toHaveText("INSUFFICIENT DATA");
    await expect(health.getByTestId("gate")).toHaveText("gate: inconclusive");
    await expect(health.getByRole("list", { name: "Why" })).toContainText(`error budget: ${NO_PROMETHEUS}`);
    await expect(health.getByTestId("enforcement")).toHaveText("1 of 1 predicted path now dropped; 0 still only audited");
    await expect(page.getByRole("table", { name: "Still only audited drop paths" })).toHaveCount(0);
    const exceptions = page.getByRole("table", { name: "Exceptions that apply" });
    const row = exceptions.getByRole("row", { name: /reports is allowed by the mesh/ });
    await expect(row).toContainText("reports is allowed by the mesh until the egress rollout");
    await expect(row).toContainText("e2e write");
    await expect(row).toContainText(/until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(2[34] h left\)/);
    await expect(row).toContainText("this rollout");
  });

  await test.step("a surprise, excepted for every rollout until a set UTC time, shows its exception; removing it sends no rolloutId", async () => {
    const surprise = minutes(4, 2).map((m) => drop(cluster, "checkout", "DROPPED", m));
    expect(await (await ingest(request, ingestToken, surprise.join("\n"))).json()).toMatchObject({ accepted: 3 });
    await page.reload();
    await expect(health.getByTestId("verdict")).toHaveText("BREACHED");
    await page.getByRole("table", { name: "Surprises drop paths" }).getByRole("button", { name: "Add exception…" }).click();
    const form = page.getByRole("form", { name: "Add an exception" });
    await form.getByLabel("Reason (required)").fill("synthetic checker");
    await form.getByLabel("Owner").fill("sre");
    await form.getByLabel("Expires", { exact: true }).selectOption("custom");
    const at = new Date(Date.now() + 3 * 86_400_000);
    const local = at.toISOString().slice(0, 16);
    await form.getByLabel("Expires at (UTC)").fill(local);
    await form.getByRole("radio", { name: "every rollout" }).check();
    await form.getByRole("button", { name: "Save exception" }).click();
    const acknowledged = page.getByRole("table", { name: "Acknowledged drop paths" });
    await expect(acknowledged).toContainText("shop/Deployment/checkout");
    await expect(acknowledged).toContainText("synthetic checker");
    await expect(acknowledged).toContainText("owner sre");
    await expect(acknowledged).toContainText(`until ${local.replace("T", " ")} UTC`);
    await expect(acknowledged).toContainText("every rollout");
    await expect(health.getByTestId("verdict")).toHaveText("INSUFFICIENT DATA");
    await acknowledged.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("measurement-exceptions.png"), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.getByRole("region", { name: "Exceptions" }).screenshot({ path: shot("measurement-exceptions-phone.png") });
    await page.setViewportSize(DESKTOP);

    await acknowledged.getByRole("button", { name: "Remove exception" }).click();
    const removed = page.waitForRequest((r) => r.method() === "DELETE");
    await acknowledged.getByRole("group", { name: "Confirm removing the exception" }).getByRole("button", { name: "Remove" }).click();
    const url = new URL((await removed).url());
    expect(url.searchParams.get("cluster")).toBe(cluster);
    expect(url.searchParams.has("rolloutId")).toBe(false);
    await expect(health.getByTestId("verdict")).toHaveText("BREACHED");
  });

  await test.step("removing the rollout's own exception sends its rolloutId", async () => {
    const exceptions = page.getByRole("table", { name: "Exceptions that apply" });
    await exceptions.getByRole("row", { name: /reports is allowed by the mesh/ }).getByRole("button", { name: "Remove" }).click();
    const removed = page.waitForRequest((r) => r.method() === "DELETE");
    await exceptions.getByRole("group", { name: "Confirm removing the exception" }).getByRole("button", { name: "Remove" }).click();
    expect(new URL((await removed).url()).searchParams.get("rolloutId")).toBe(id);
    await expect(page.getByRole("region", { name: "Exceptions" })).toContainText("No exception applies to this rollout");
  });
});

test("the error ratio under the drops: same range and stages, % axis, exact tooltip; settings with presets", async ({ page, request, cluster }) => {
  test.setTimeout(90_000);
  const ingestToken = await clusterToken(cluster);
  const write = await writeToken();
  const rows = minutes(50, 2).map((m) => drop(cluster, "cart", m > 30 ? "AUDIT" : "DROPPED", m));
  expect(await (await ingest(request, ingestToken, rows.join("\n"))).json()).toMatchObject({ accepted: rows.length });
  const id = await canaryRollout(request, write, cluster, `errors shop ${cluster}`);

  // No Prometheus runs beside `next start` here (the API is tested against a real one in
  // app/api/v1/rollouts/errors.test.ts): the page is fed what that API answers when it can read.
  const now = Date.now();
  const step = 60;
  const points = Array.from({ length: 60 }, (_, i) => {
    const t = new Date(Math.floor(now / 60_000) * 60_000 - (59 - i) * 60_000).toISOString();
    // 0.4% before the canary, climbing to ~3% after it, with a two-minute gap Prometheus had no number for.
    const ratio = i === 40 || i === 41 ? null : i < 30 ? 0.004 : 0.004 + (i - 30) * 0.00088;
    return { t, ratio };
  });
  points[50] = { t: points[50]?.t ?? "", ratio: 0.0123456 };
  await page.route(`**/api/v1/rollouts/${id}/errors*`, (route) =>
    route.fulfill({ json: { status: "ok", detail: "read", query: QUERY.replaceAll("$namespaces", "shop").replaceAll("$window", "1m"), stepSeconds: step, points } }),
  );
  await page.route(`**/api/v1/rollouts/${id}/health*`, async (route) => {
    const real = await (await route.fetch()).json();
    const errors = { status: "ok", ratio: 0.031, baselineRatio: 0.004, increasePct: 675, detail: "read", query: real.figures.errors.query };
    const budget = [...real.budget, { name: "errorRatio", value: 0.031, limit: 0.02, used: 1.55, state: "breached" }];
    await route.fulfill({ json: { ...real, verdict: "BREACHED", healthy: false, breached: true, reasons: ["application error ratio 3.1% (last 15 min), budget 2%"], budget, figures: { ...real.figures, errors } } });
  });

  await page.goto(`/rollouts/${id}?range=1h`);
  const health = page.getByRole("region", { name: "Health" });
  await test.step("the figures: ratio now and baseline in %, the change, the budget meter", async () => {
    await expect(health.getByTestId("error-ratio-now")).toHaveText("3.1%");
    await expect(health.getByTestId("error-ratio-baseline")).toHaveText("0.4%");
    await expect(health.getByTestId("error-increase")).toHaveText("+675%");
    await expect(health.getByRole("meter", { name: "error ratio now against its budget" })).toHaveAttribute("aria-valuetext", "155% of the budget: over budget");
    await expect(health.getByLabel("Application error budget")).toContainText("budget 2% · over budget");
  });

  const chart = page.getByRole("figure", { name: "Application error ratio in scope" });
  await test.step("the chart: y axis in %, budget and baseline lines, the canary's band and line, exact % in the tooltip", async () => {
    await expect(chart).toBeVisible();
    await expect(chart.locator(".recharts-yAxis-tick-labels")).toContainText("3%");
    await expect(chart).toContainText("budget 2%");
    await expect(chart).toContainText("58 of 60 steps read");
    await expect(chart.locator(".recharts-reference-area")).toHaveCount(1);
    // The two charts share their x range: their plot areas start and end at the same x.
    const drops = page.getByRole("figure", { name: "Drops in scope by verdict" });
    const dropsGrid = await drops.locator(".recharts-cartesian-grid").boundingBox();
    const errorsGrid = await chart.locator(".recharts-cartesian-grid").boundingBox();
    expect(Math.abs((dropsGrid?.x ?? 0) - (errorsGrid?.x ?? 1))).toBeLessThan(2);
    expect(Math.abs((dropsGrid?.width ?? 0) - (errorsGrid?.width ?? 1))).toBeLessThan(2);
    // Hovering the chart gives a point's exact ratio, with its window.
    await chart.scrollIntoViewIfNeeded();
    const surface = await chart.locator(".recharts-cartesian-grid").boundingBox();
    if (!surface) throw new Error("no error chart drawn");
    const t50 = Date.parse(points[50]?.t ?? "");
    await page.mouse.move(surface.x + surface.width / 2, surface.y + surface.height / 2);
    const tooltip = chart.locator(".chart-tooltip");
    await expect(tooltip).toContainText("error ratio");
    await expect(tooltip).toContainText(/\d\d:\d\d – \d\d:\d\d UTC/);
    // Walk to the 1.23456% point with the keyboard (Recharts' accessibility layer).
    await page.mouse.move(0, 0);
    await chart.locator(".recharts-surface").first().focus();
    let found = false;
    for (let i = 0; i < 70 && !found; i++) {
      await page.keyboard.press("ArrowRight");
      found = ((await tooltip.textContent()) ?? "").includes("1.23456%");
    }
    expect(found, `no tooltip reached the point at ${new Date(t50).toISOString()}`).toBe(true);
    await expect(tooltip).toContainText("stage CANARY");
    await chart.locator(".recharts-surface").first().blur();
    await page.mouse.move(surface.x + surface.width * 0.8, surface.y + surface.height / 2);
    await page.getByRole("region", { name: "Drops in scope" }).screenshot({ path: shot("measurement-chart.png") });
    await page.setViewportSize(PHONE);
    await page.getByRole("region", { name: "Drops in scope" }).screenshot({ path: shot("measurement-chart-phone.png") });
    await page.setViewportSize(DESKTOP);
    await chart.getByText("Data table").click();
    await expect(chart.getByRole("table", { name: "Application error ratio in scope: data" })).toContainText("1.23456%");
    await expect(chart.getByRole("table", { name: "Application error ratio in scope: data" })).toContainText("no number");
  });

  await test.step("settings: a preset query, limits in %, grace; a Prometheus the operator did not allow is refused", async () => {
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.getByLabel("Write token").fill(write);
    await page.getByRole("button", { name: "Use token" }).click();
    await page.getByText("Budget and settings").click();
    const settings = page.getByRole("form", { name: "Rollout settings" });
    const query = settings.getByLabel(/Error query/);
    await expect(query).toHaveValue(QUERY);
    await settings.getByRole("group", { name: "Example queries" }).getByRole("button", { name: "Istio" }).click();
    await expect(query).toHaveValue(/istio_requests_total\{reporter="destination"/);
    await settings.getByLabel("Max error ratio (%)").fill("1.5");
    await settings.getByLabel("Max error increase (%)").fill("50");
    await settings.getByLabel("Enforcement grace (minutes)").fill("15");
    await settings.getByLabel("Prometheus URL (optional)").fill("http://prometheus.example:9090");
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(settings.getByRole("alert")).toContainText("DROPBOARD_PROMETHEUS_URLS");
    await settings.getByLabel("Prometheus URL (optional)").fill("");
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(settings.getByText("Saved.")).toBeVisible();
    const saved = await (await request.get(`/api/v1/rollouts/${id}`)).json();
    expect(saved).toMatchObject({ errorQuery: expect.stringContaining("istio_requests_total"), prometheusUrl: null, enforcementGraceMinutes: 15 });
    expect(saved.budget).toMatchObject({ maxErrorRatio: 0.015, maxErrorIncreasePct: 50, maxNewPaths: 0 });
    await page.reload();
    await page.getByText("Budget and settings").click();
    await expect(page.getByRole("form", { name: "Rollout settings" }).getByLabel("Max error ratio (%)")).toHaveValue("1.5");
    await page.getByRole("region", { name: "Settings" }).screenshot({ path: shot("measurement-settings.png") });
  });
});

test("an exception that expired counts again, and the page says so (the demo's auth canary)", async ({ page, demo }) => {
  const id = demo.get("default-deny: auth");
  if (!id) throw new Error("the demo has no rollout default-deny: auth");
  await page.goto(`/rollouts/${id}?range=24h`);
  const health = page.getByRole("region", { name: "Health" });
  const expired = health.getByLabel("Expired exceptions");
  await expect(expired).toContainText(/exception for web\/Deployment\/frontend → auth\/Deployment\/keycloak:8443\/TCP expired at (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC \(team-identity, frontend logs in through the old keycloak route until FE-2231 ships\): counts again/);
  await expect(health.getByRole("list", { name: "Why" })).toContainText("it counts again");
  await expect(health.getByTestId("enforcement")).toHaveText("2 of 2 predicted paths now dropped; 0 still only audited");
  const row = page.getByRole("table", { name: "Exceptions that apply" }).getByRole("row", { name: /frontend logs in/ });
  await expect(row).toContainText("expired");
  await expect(row).toContainText("counts again");
  await expect(row).toContainText("this rollout");
  // The surprise it excepted is a surprise again: the canary is breached.
  await expect(health.getByTestId("verdict")).toHaveText("BREACHED");
  await expect(page.getByRole("table", { name: "Surprises drop paths" })).toContainText("auth/Deployment/keycloak");
});
