// The front page in a real browser: the footer says how many drops are stored.
import { expect, hubbleLines, ingest, test } from "./fixtures";

test("the footer counts the stored drops, and the browser console stays clean", async ({ page, request, ingestToken, cluster }, testInfo) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto("/");
  const before = Number((await page.getByTestId("stored-drops").textContent())?.replace(/,/g, ""));
  expect(Number.isFinite(before)).toBe(true);

  const response = await ingest(request, ingestToken, hubbleLines(cluster, 1234));
  expect((await response.json()).accepted).toBe(1234);

  await page.reload();
  await expect(page.getByTestId("stored-drops")).toHaveText((before + 1234).toLocaleString("en-US"));
  await expect(page.getByRole("link", { name: "Dropboard" })).toBeVisible();
  await expect(page.getByTestId("stat-total")).not.toHaveText("…");
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
  expect(problems).toEqual([]);
});
