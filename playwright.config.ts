import { defineConfig } from "@playwright/test";

// `npm test` starts the database, builds into DROPBOARD_DIST_DIR and picks E2E_PORT.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

const databaseUrl = process.env.DATABASE_URL ?? "";
if (databaseUrl && !/@(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(databaseUrl) && !/^postgres(ql)?:\/\/\/|host=\/|@\//.test(databaseUrl)) {
  throw new Error("e2e tests refuse a non-local DATABASE_URL: they write test data");
}

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.DROPBOARD_TEST_REPORT_DIR ? `${process.env.DROPBOARD_TEST_REPORT_DIR}/results` : "test-results",
  fullyParallel: false,
  // One worker: the specs share one server and database, and some compare totals before and after.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: process.env.DROPBOARD_TEST_REPORT_DIR ? `${process.env.DROPBOARD_TEST_REPORT_DIR}/html` : "playwright-report" }], ["json", { outputFile: `${process.env.DROPBOARD_TEST_REPORT_DIR ?? ".test-report"}/playwright.json` }]],
  timeout: 30_000,
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "api", testDir: "e2e/api" },
    { name: "chromium", testIgnore: "api/**", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } },
  ],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
