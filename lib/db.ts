// The Prisma client, over node-postgres through the Prisma 7 driver adapter.
// Only lib/<feature>/data.ts and mutations.ts import this module (enforced by ESLint).
// The client is created on import, so scripts set DATABASE_URL before importing it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { plenaryDb?: PrismaClient };

export function createDb(url: string, max = env().PLENARY_DB_POOL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

/** One client per process (kept across hot reloads in development). */
export const db: PrismaClient = (globalForDb.plenaryDb ??= createDb(databaseUrl()));
