// The production build `npm start` and the benchmarks serve: rebuilt when missing or older than the source.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { NEXT_BIN, run } from "./process";

const SOURCE_DIRS = ["app", "components", "lib"];
const SOURCE_FILES = ["next.config.ts", "instrumentation.ts", "package-lock.json"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(distDir: string): boolean {
  const buildId = path.join(distDir, "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return (
    SOURCE_DIRS.every((dir) => !existsSync(dir) || newestMtime(dir) <= built) &&
    SOURCE_FILES.every((file) => !existsSync(file) || statSync(file).mtimeMs <= built)
  );
}

export async function ensureProductionBuild(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  if (buildIsCurrent(env.DROPBOARD_DIST_DIR ?? ".next")) return;
  log("building the dashboard (first start, or the source changed)...");
  if ((await run(NEXT_BIN, ["build"], { ...env, NODE_ENV: "production" })) !== 0) throw new Error("next build failed");
}
