import { defineConfig } from "prisma/config";

// Only the schema's location matters to us: `prisma generate` needs no database, and
// migrations are applied by lib/db/migrate.ts (see STACK.md, trap 1).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/dropboard" },
});
