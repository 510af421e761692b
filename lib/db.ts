// The Prisma client, over node-postgres through the Prisma 7 driver adapter.
// Only lib/<feature>/data.ts and mutations.ts import this module (enforced by ESLint).
// The client is created on import, so scripts set DATABASE_URL before importing it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { plenaryDb?: PrismaClient };

export function createDb(url: string, max = env().PLENARY_DB_POOL): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max }),
    // Under a burst, transactions queue for one of the pool's connections; Prisma's default
    // of 2 s to get one would refuse votes that are merely waiting their turn.
    transactionOptions: { maxWait: 15_000 },
  });
}

/** One client per process (kept across hot reloads in development). */
export const db: PrismaClient = (globalForDb.plenaryDb ??= createDb(databaseUrl()));
