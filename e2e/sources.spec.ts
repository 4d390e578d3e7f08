// Several CNIs into one cluster: Antrea text, Calico flow logs and sampled netobserv flows,
// seen on the clusters page and in the overview with the same numbers.
import { readFileSync } from "node:fs";
import path from "node:path";
import { clusterToken, expect, ingest, test } from "./fixtures";

const FIXTURES = path.resolve(import.meta.dirname, "../lib/ingest/formats/fixtures");

function antreaLines(): string {
  const stamp = new Date(Date.now() - 5 * 60_000).toISOString();
  const prefix = `${stamp.slice(0, 10).replaceAll("-", "/")} ${stamp.slice(11, 19)}`;
  return readFileSync(path.join(FIXTURES, "antrea/np.log"), "utf8")
    .trim()
    .split("\n")
    .map((line, i) => line.replace(/^\S+ \S+/, `${prefix}.00000${i}`))
    .join("\n");
}

test("drops from Antrea, Calico and netobserv land in one cluster, counted exactly", async ({ page, request, cluster }, testInfo) => {
  const token = await clusterToken(cluster);
  const antrea = await ingest(request, token, antreaLines(), { "content-type": "text/plain" });
  expect(await antrea.json()).toMatchObject({ accepted: 2 });

  const calico = JSON.parse(readFileSync(path.join(FIXTURES, "calico/flows-deny.jsonl"), "utf8"));
  const start = Math.floor(Date.now() / 1000) - 600;
  const calicoBoth = [
    { ...calico, start_time: start, end_time: start + 300, num_flows: 5 },
    { ...calico, start_time: start, end_time: start + 300, num_flows: 5, reporter: "src" },
  ];
  const netobserv = {
    ...JSON.parse(readFileSync(path.join(FIXTURES, "netobserv/flow-netpol-allow.json"), "utf8")),
    TimeFlowStartMs: Date.now() - 420_000,
    Sampling: 10,
    PktDropPackets: 3,
    NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Name: "deny-db", Namespace: "second-namespace", Direction: "Ingress" }],
  };
  const json = await ingest(request, token, [...calicoBoth, netobserv].map((r) => JSON.stringify(r)).join("\n"));
  expect(await json.json()).toMatchObject({ accepted: 2, duplicates: 1 });
  // 2 Antrea packets + 5 Calico flows (reported twice, counted once) + 3 sampled 1:10 packets = 37.

  await page.goto("/clusters");
  const row = page.getByRole("table", { name: "Clusters" }).getByRole("row").filter({ hasText: cluster });
  await expect(row).toContainText("37");
  await expect(row).toContainText(/[45] min ago/);
  await page.screenshot({ path: testInfo.outputPath("clusters.png"), fullPage: true });

  await row.getByRole("link", { name: cluster }).click();
  await expect(page).toHaveURL(new RegExp(`/\\?cluster=${cluster}`));
  await expect(page.getByTestId("stat-total")).toHaveText("37");

  await page.goto(`/namespaces/second-namespace?cluster=${cluster}&range=1h`);
  const sampled = page.getByRole("table", { name: "Drop events" }).getByRole("row").filter({ has: page.locator(".sampled") });
  await expect(sampled).toContainText("≈ 30");
  await expect(sampled.locator(".sampled")).toHaveAttribute("title", /sampled 1 in 10/);
});
