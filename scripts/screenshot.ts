// `npm run screenshot`: the README's pictures (the overview, and the demo's breached canary),
// taken from the demo data on a fresh database, in Debian's Chromium.
import { chromium } from "@playwright/test";
import { loadDemo } from "../lib/demo/generateDemo";
import { freePort } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { listRollouts } from "../lib/queries/rollouts/getRollout";
import { ensureProductionBuild } from "./lib/build";
import { scratchDatabase } from "./lib/database";
import { NEXT_BIN, spawnNode } from "./lib/process";

const log = (line: string) => console.log(`[screenshot] ${line}`);
const database = await scratchDatabase({ label: "screenshot", unsafeFast: true });
process.env.DATABASE_URL = database.url;
const port = await freePort();
const server = { current: undefined as ReturnType<typeof spawnNode> | undefined };
try {
  await migrate(database.url);
  await loadDemo({ now: new Date() });
  const breached = (await listRollouts()).find((r) => r.name === "default-deny: auth");
  await closePool();
  await ensureProductionBuild(process.env, log);
  server.current = spawnNode(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], { ...process.env, NODE_ENV: "production" });
  for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.ok, () => false)); i++) {
    if (i > 100) throw new Error("server did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`http://127.0.0.1:${port}/?range=7d`);
  await page.getByRole("figure", { name: "Drops by namespace" }).waitFor();
  await page.getByRole("list", { name: /rollout stages/ }).waitFor();
  await page.screenshot({ path: "e2e/screenshots/overview.png" });
  log("wrote e2e/screenshots/overview.png");
  if (breached) {
    await page.goto(`http://127.0.0.1:${port}/rollouts/${breached.id}?range=24h`);
    await page.getByRole("figure", { name: "Drops in scope by verdict" }).waitFor();
    await page.getByTestId("verdict").first().waitFor();
    await page.screenshot({ path: "e2e/screenshots/rollout.png", fullPage: true });
    log("wrote e2e/screenshots/rollout.png");
  }
  await browser.close();
} finally {
  server.current?.kill("SIGTERM");
  await database.close();
}
