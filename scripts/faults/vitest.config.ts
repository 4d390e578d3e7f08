// `npm test -- faults`: the fault tests (scripts/faults/*.faults.ts) against the production server
// and the collector CLI, each on a PostgreSQL of its own. One at a time: each one's timing (a
// server killed mid-stream, a database frozen past the read timeout) must not wait on another's CPU.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["scripts/faults/**/*.faults.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
