// Collector freshness: /clusters follows each collector's check-in (clusters that only check in are
// listed too), and a page showing "now" warns when a cluster that was reporting went silent:
// one line, not on pinned ranges, dismissible from the keyboard for the session.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, sql, test } from "./fixtures";

const shot = (name: string) => path.resolve("e2e/screenshots", name);

test("a silent collector shows on /clusters and in a dismissible banner on live pages", async ({ page, request, demo }) => {
  expect(demo.size).toBeGreaterThan(0);
  const stopped = `e2e-stopped-${randomBytes(3).toString("hex")}`;
  const beating = `e2e-heartbeat-${randomBytes(3).toString("hex")}`;
  // One collector last heard from 40 minutes ago; one that only sends heartbeats (no drops at all).
  await sql(`INSERT INTO cluster_checkins (cluster, first_seen_at, last_seen_at, last_heartbeat_at) VALUES ($1, now() - interval '3 hours', now() - interval '40 minutes', now() - interval '40 minutes')`, [stopped]);
  await sql(`INSERT INTO cluster_checkins (cluster, first_seen_at, last_seen_at, last_heartbeat_at) VALUES ($1, now() - interval '1 hour', now(), now())`, [beating]);
  try {
    await test.step("the clusters API and page follow the check-in, not the last drop", async () => {
      const body = await (await request.get("/api/v1/clusters")).json();
      const byName = new Map(body.clusters.map((c: { cluster: string }) => [c.cluster, c]));
      expect(byName.get(stopped)).toMatchObject({ reporting: false, stoppedReporting: true, lastSeen: null, drops: 0 });
      expect(byName.get(beating)).toMatchObject({ reporting: true, stoppedReporting: false, lastSeen: null });
      expect(byName.get("demo-eu")).toMatchObject({ reporting: true });

      await page.goto("/clusters");
      await expect(page.getByTestId(`cluster-${beating}`)).toContainText("reporting · checked in");
      await expect(page.getByTestId(`cluster-${beating}`)).toContainText("none yet");
      await expect(page.getByTestId(`cluster-${stopped}`)).toContainText(/stopped\? no check-in since (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC \(4\d min ago\)/);
      await expect(page.getByTestId("cluster-demo-eu")).toContainText("reporting");
      await page.screenshot({ path: shot("clusters-desktop.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: shot("clusters-phone.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    await test.step("no banner on a pinned range; one line on a live one", async () => {
      const to = new Date();
      const from = new Date(to.getTime() - 3_600_000);
      await page.goto(`/?from=${from.toISOString()}&to=${to.toISOString()}`);
      await expect(page.getByTestId("stat-total")).not.toHaveText("…");
      await expect(page.getByTestId("freshness-banner")).toHaveCount(0);
      await page.goto("/?range=1h");
      const banner = page.getByTestId("freshness-banner");
      await expect(banner).toContainText(new RegExp(`No data from ${stopped} since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d UTC`));
      await expect(banner).toContainText("its collector may have stopped");
      const box = await banner.boundingBox();
      expect(box?.height ?? 0).toBeLessThan(30);
    });

    await test.step("dismissed from the keyboard, it stays away for the session", async () => {
      await page.getByRole("button", { name: "Dismiss this warning for this session" }).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("freshness-banner")).toHaveCount(0);
      await page.goto("/rollouts");
      await expect(page.getByRole("heading", { name: "Rollouts", exact: true })).toBeVisible();
      await expect(page.getByTestId("freshness-banner")).toHaveCount(0);
      await page.screenshot({ path: test.info().outputPath("rollouts.png"), fullPage: true });
    });

    await test.step("raw events: a PolicyVerdict copy says its drop event counts it", async () => {
      await page.goto("/namespaces/batch?range=6h&cluster=demo-eu");
      await expect(page.getByRole("table", { name: "Drop events" })).toContainText("policy verdict · counted by its drop event");
    });
  } finally {
    await sql(`DELETE FROM cluster_checkins WHERE cluster = ANY($1::text[])`, [[stopped, beating]]);
  }
});
