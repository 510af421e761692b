// Prisma 7 reads its settings from here (it no longer loads .env by itself).
// The URL is only used by Prisma CLI commands that talk to a database; Plenary's own
// migrate script (scripts/migrate.ts) and the app resolve the URL in lib/env.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/plenary" },
});
