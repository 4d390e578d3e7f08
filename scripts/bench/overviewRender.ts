// `npx tsx scripts/bench/overviewRender.ts [--loads 12]`: how long the overview (demo data,
// /?range=7d) takes to be drawn after navigation, each load in a fresh browser context (no cache,
// cold JS), against the production server on a scratch demo database. Prints p50/p95 and where
// the time goes: server (first byte), HTML streamed, API calls the browser made (Resource Timing),
// the chart's first picture (whichever draws it: the server's static SVG or Recharts), the
// Recharts chart mounted (interactive: tooltip, drag-to-zoom), and the whole page drawn.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { loadDemo } from "../../lib/demo/generateDemo";
import { migrate } from "../../lib/db/migrate";
import { ensureProductionBuild } from "../lib/build";
import { scratchDatabase } from "../lib/database";
import { usingDatabase, withServer } from "./benchServer";
import { percentile as percentileOf } from "./percentile";

const log = (line: string) => console.log(`[bench] ${line}`);
/** The chart's first picture, whoever draws it; Recharts' own area once the interactive chart is up. */
const CHART_PICTURE = '[data-chart="drops"] svg path, .recharts-area-area';
const CHART_INTERACTIVE = ".recharts-area-area";

interface Load {
  /** Wall time in the bench (Playwright's waits included). */
  total: number;
  /** In the page: the first frame with the whole overview drawn. */
  drawn: number | null;
  server: number;
  html: number;
  domReady: number;
  loaded: number;
  apiCalls: number;
  apiFirst: number | null;
  apiLast: number | null;
  picture: number | null;
  interactive: number | null;
  /** Page fetches (RSC, `_rsc=`) the overview made by a second after it was interactive: link prefetches. */
  pageFetches: number;
}

async function loadDemoInto(url: string): Promise<number> {
  return usingDatabase(url, () => loadDemo({ now: new Date() }));
}

/**
 * Installed before the page's own scripts: the first animation frame (the paint that shows it)
 * after the chart's first picture, Recharts' area, and the whole overview (picture, "Top drop
 * paths", "Clusters", no loading mark) are in the DOM. A frame waits for the main thread, so a
 * picture inserted while scripts run counts only once it can be painted. A string, not a
 * function: tsx's compiled functions call helpers the page does not have.
 */
const WATCH = `(() => {
  const selectors = ${JSON.stringify({ picture: CHART_PICTURE, interactive: CHART_INTERACTIVE })};
  const seen = (window.__overviewSeen = {});
  const drawn = () =>
    document.querySelector(selectors.picture) &&
    document.querySelector('table[aria-label="Top drop paths"]') &&
    document.querySelector('ol[aria-label="Clusters"]') &&
    !document.querySelector('[role="status"][aria-label^="Loading"]');
  const conditions = { picture: () => document.querySelector(selectors.picture), interactive: () => document.querySelector(selectors.interactive), drawn };
  const pending = new Set(Object.keys(conditions));
  const check = () => {
    for (const name of [...pending]) {
      if (!conditions[name]()) continue;
      pending.delete(name);
      requestAnimationFrame(() => (seen[name] = performance.now()));
    }
    if (pending.size === 0) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-label"] });
})();`;

async function timeline(page: Page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const api = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((r) => new URL(r.name).pathname.startsWith("/api/"));
    const seen = (window as unknown as { __overviewSeen?: Record<string, number> }).__overviewSeen ?? {};
    return {
      server: nav.responseStart,
      html: nav.responseEnd,
      domReady: nav.domContentLoadedEventEnd,
      loaded: nav.loadEventEnd,
      apiCalls: api.length,
      apiFirst: api.length ? Math.min(...api.map((r) => r.startTime)) : null,
      apiLast: api.length ? Math.max(...api.map((r) => r.responseEnd)) : null,
      drawn: seen.drawn ?? null,
      picture: seen.picture ?? null,
      interactive: seen.interactive ?? null,
      pageFetches: (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((r) => new URL(r.name).searchParams.has("_rsc")).length,
    };
  });
}

async function measure(base: string, loads: number): Promise<Load[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results: Load[] = [];
  try {
    for (let i = 0; i <= loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript({ content: WATCH });
      const page = await context.newPage();
      const started = performance.now();
      // Drawn is what the user sees, not the load event (which waits for every script to run).
      await page.goto(`${base}/?range=7d`, { waitUntil: "commit" });
      await page.locator(CHART_PICTURE).first().waitFor();
      await page.getByRole("table", { name: "Top drop paths" }).waitFor();
      await page.getByRole("list", { name: "Clusters" }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[role="status"][aria-label^="Loading"]'));
      const total = performance.now() - started;
      // Not part of "drawn": how long until the interactive chart replaces the first picture.
      await page.locator(CHART_INTERACTIVE).first().waitFor();
      await page.waitForFunction(() => performance.getEntriesByType("navigation")[0]?.duration && (window as unknown as { __overviewSeen: { drawn?: number; interactive?: number } }).__overviewSeen.interactive);
      await page.waitForTimeout(1_000); // links prefetch once the page is idle
      if (i > 0) results.push({ total, ...(await timeline(page)) }); // the first load warms the server
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

const percentile = (values: number[], p: number) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : percentileOf(sorted, p);
};
const median = (values: (number | null)[]) => percentile(values.filter((v): v is number => v !== null), 50);
const ms = (n: number) => `${Number.isFinite(n) ? n.toFixed(0) : "n/a"} ms`;

function report(results: Load[]): void {
  const drawn = results.map((r) => r.drawn ?? NaN);
  const totals = results.map((r) => r.total);
  const interactive = results.map((r) => r.interactive ?? NaN);
  console.log(`overview (demo, 7d) drawn after navigation: p50 ${ms(percentile(drawn, 50))}, p95 ${ms(percentile(drawn, 95))} (${results.length} loads, fresh context each; the frame that shows it)`);
  console.log(`  Recharts chart interactive (tooltip, zoom): p50 ${ms(percentile(interactive, 50))}, p95 ${ms(percentile(interactive, 95))}`);
  console.log(`  bench wall time to "drawn" (Playwright's waits, as queries.ts measured): p50 ${ms(percentile(totals, 50))}, p95 ${ms(percentile(totals, 95))}`);
  console.log(
    [
      `  split (medians, from navigation start): server first byte ${ms(median(results.map((r) => r.server)))}`,
      `HTML done ${ms(median(results.map((r) => r.html)))}`,
      `chart first picture painted ${ms(median(results.map((r) => r.picture)))}`,
      `DOMContentLoaded ${ms(median(results.map((r) => r.domReady)))}`,
      `load event (scripts run) ${ms(median(results.map((r) => r.loaded)))}`,
      `API calls ${median(results.map((r) => r.apiCalls))}` + (median(results.map((r) => r.apiFirst)) >= 0 ? ` from ${ms(median(results.map((r) => r.apiFirst)))} to ${ms(median(results.map((r) => r.apiLast)))}` : ""),
      `Recharts interactive ${ms(median(interactive))}`,
      `then page fetches (link prefetches) ${median(results.map((r) => r.pageFetches))}`,
    ].join(", "),
  );
}

export async function overviewRenderTime(options: { loads?: number } = {}): Promise<void> {
  const loads = options.loads ?? 12;
  await ensureProductionBuild(process.env, log);
  const database = await scratchDatabase({ label: "bench_render", unsafeFast: true });
  try {
    await migrate(database.url);
    log(`demo loaded: ${await loadDemoInto(database.url)} drops`);
    await withServer(database, async (base) => report(await measure(base, loads)));
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { loads: { type: "string", default: "12" } } });
  await overviewRenderTime({ loads: Number(values.loads) });
}
