// `npm test [unit|e2e|all]`: every run gets its own fresh database — a new database on the
// server DATABASE_URL names, or a throwaway embedded PostgreSQL — migrates it, runs Vitest
// (unit + integration) and Playwright (e2e, against `next start` in Chromium), then removes it.
// `npm test -- faults`: the fault tests (scripts/faults/), each against `next start` on a PostgreSQL
// of its own that it stops and freezes; they use the e2e build when it is current, else build it.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { freePort } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { ensureProductionBuild } from "./lib/build";
import { scratchDatabase } from "./lib/database";
import { NEXT_BIN, run } from "./lib/process";

const require = createRequire(import.meta.url);
const VITEST_BIN = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
const PLAYWRIGHT_BIN = path.join(path.dirname(require.resolve("@playwright/test/package.json")), "cli.js");

const log = (line: string) => console.log(`[test] ${line}`);
/** Overridable so two runs side by side (helpers, a bench) keep apart: DROPBOARD_TEST_REPORT_DIR, DROPBOARD_TEST_DIST_DIR. */
const REPORT_DIR = process.env.DROPBOARD_TEST_REPORT_DIR ?? ".test-report";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts from the runners' JSON reports, for one plain closing line over both. */
async function readTally(vitestReport: string, playwrightReport: string | null): Promise<Tally> {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  const read = async (file: string) => JSON.parse(await readFile(path.join(REPORT_DIR, file), "utf8").catch(() => "null"));
  const vitest = await read(vitestReport);
  if (vitest) {
    tally.passed += vitest.numPassedTests ?? 0;
    tally.failed += (vitest.numFailedTests ?? 0) + (vitest.numFailedTestSuites ?? 0);
    tally.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  }
  const playwright = playwrightReport ? await read(playwrightReport) : null;
  if (playwright?.stats) {
    tally.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
    tally.failed += playwright.stats.unexpected ?? 0;
    tally.skipped += playwright.stats.skipped ?? 0;
  }
  return tally;
}
const mode = process.argv[2] ?? "all";
const passThrough = process.argv.slice(3);
/** Where e2e builds the app for `next start`; the fault tests start the same build. */
const DIST_DIR = process.env.DROPBOARD_TEST_DIST_DIR ?? ".next-test";
const vitestReporters = (report: string) => ["--reporter=default", "--reporter=json", `--outputFile.json=${REPORT_DIR}/${report}`];

async function closingLine(failed: number, faults = false): Promise<number> {
  const tally = await readTally(faults ? "faults.json" : "vitest.json", faults ? null : "playwright.json");
  console.log(`\ntests: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  return failed === 0 && tally.failed === 0 ? 0 : 1;
}

/** The fault tests: no shared database (each scenario starts, stops and freezes its own), the production build. */
async function runFaults(): Promise<number> {
  const env = { ...process.env, DROPBOARD_DIST_DIR: DIST_DIR, DROPBOARD_TEST: "1" };
  await ensureProductionBuild(env, log);
  log("vitest: fault tests (each starts its own PostgreSQL and production server; DATABASE_URL is not used)");
  // A report of its own: `.ci/run` runs this after `npm test`, whose reports stay.
  await rm(path.join(REPORT_DIR, "faults.json"), { force: true });
  const code = await run(VITEST_BIN, ["run", "--config", "scripts/faults/vitest.config.ts", ...vitestReporters("faults.json"), ...passThrough], env);
  return closingLine(code === 0 ? 0 : 1, true);
}

async function main(): Promise<number> {
  if (!["unit", "e2e", "faults", "all"].includes(mode)) throw new Error(`usage: npm test [-- unit|e2e|faults|all] (got "${mode}")`);
  if (mode === "faults") return runFaults();
  const database = await scratchDatabase({ label: "test", unsafeFast: true });
  log(database.description);
  const cleanup = () => database.close().catch((error) => console.error("[test] cleanup failed:", error));
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
  await rm(REPORT_DIR, { recursive: true, force: true });
  try {
    await migrate(database.url);
    const env = { ...process.env, DATABASE_URL: database.url, DROPBOARD_TEST: "1" };
    let failed = 0;
    if (mode === "unit" || mode === "all") {
      log("vitest: unit and integration tests");
      failed += (await run(VITEST_BIN, ["run", ...vitestReporters("vitest.json"), ...passThrough], env)) === 0 ? 0 : 1;
    }
    if (mode === "e2e" || mode === "all") {
      log(`next build (into ${DIST_DIR})`);
      await rm(DIST_DIR, { recursive: true, force: true });
      const e2eEnv = { ...env, DROPBOARD_DIST_DIR: DIST_DIR, NODE_ENV: "production" as const, E2E_PORT: String(await freePort()) };
      if ((await run(NEXT_BIN, ["build"], e2eEnv)) !== 0) return 1;
      log("playwright: e2e tests");
      // E2E gets a database of its own: the unit tests leave clusters, silences and global exceptions
      // behind that pages (the stale-data banner, a rollout's exceptions) would rightly show.
      const e2eDatabase = mode === "all" ? await scratchDatabase({ label: "e2e", unsafeFast: true }) : null;
      try {
        if (e2eDatabase) await migrate(e2eDatabase.url);
        const runEnv = e2eDatabase ? { ...e2eEnv, DATABASE_URL: e2eDatabase.url } : e2eEnv;
        failed += (await run(PLAYWRIGHT_BIN, ["test", ...passThrough], runEnv)) === 0 ? 0 : 1;
      } finally {
        await e2eDatabase?.close().catch((error: unknown) => console.error("[test] e2e cleanup failed:", error));
      }
    }
    return await closingLine(failed);
  } finally {
    await cleanup();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`[test] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
