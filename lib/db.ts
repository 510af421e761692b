// The Prisma client, over node-postgres through the Prisma 7 driver adapter, and the pg pool
// beneath it, which the two hottest paths use directly, as named (prepared) statements: the
// vote write (lib/votes/mutations.ts) and the session read of every signed-in request
// (lib/auth/data.ts). One pool, so PLENARY_DB_POOL bounds the process's connections (plus one
// for the audit sequencer, and a second pool when a read replica is configured).
// Only lib/<feature>/data.ts and mutations.ts import this module (enforced by ESLint).
// The client is created on import, so scripts set DATABASE_URL before importing it.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { building, databaseUrl, env, setting } from "@/lib/env";
import { ReadRouter } from "@/lib/database/read-routing";

export type Db = PrismaClient;

/** How long a request waits for a free pool connection before the database counts as busy. */
const CONNECTION_WAIT_MS = 15_000;

const globalForDb = globalThis as unknown as {
  plenaryDb?: PrismaClient;
  plenaryPool?: pg.Pool;
  plenarySequencerPool?: pg.Pool;
  plenaryReads?: ReadRouter;
};

function createDb(pool: pg.Pool): PrismaClient {
  return new PrismaClient({
    // $disconnect ends the pool too.
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // Under a burst, transactions queue for one of the pool's connections; Prisma's default
    // of 2 s to get one would refuse votes that are merely waiting their turn.
    transactionOptions: { maxWait: CONNECTION_WAIT_MS },
  });
}

/**
 * `next build` loads every route's modules to collect their page data and queries nothing
 * (every page that reads data is dynamic): without DATABASE_URL it gets an address that is
 * never dialled, so `npm run build` needs no database.
 */
const url = building() && !setting("DATABASE_URL") ? "postgresql://build@127.0.0.1:1/build" : databaseUrl();

/** One pool per process (kept across hot reloads in development). */
export const pool: pg.Pool = (globalForDb.plenaryPool ??= new pg.Pool({
  connectionString: url,
  max: env().PLENARY_DB_POOL,
  connectionTimeoutMillis: CONNECTION_WAIT_MS,
  allowExitOnIdle: true,
}));

/**
 * One more connection, for the audit sequencer alone (lib/audit/mutations.ts): it runs one
 * round at a time and every vote waits for a round, so it must not queue for a connection
 * behind the votes it is to log.
 */
export const sequencerPool: pg.Pool = (globalForDb.plenarySequencerPool ??= new pg.Pool({
  connectionString: url,
  max: 1,
  connectionTimeoutMillis: CONNECTION_WAIT_MS,
  allowExitOnIdle: true,
}));

// A pooled connection that dies while idle (PostgreSQL restarted, say) is dropped by the pool
// and reported here; the next query opens a new one. Without a listener it would crash the process.
for (const p of [pool, sequencerPool]) if (p.listenerCount("error") === 0) p.on("error", () => undefined);

/** One client per process, over `pool`. */
export const db: PrismaClient = (globalForDb.plenaryDb ??= createDb(pool));

/**
 * The name a hot statement is prepared under, or none behind a transaction-mode pooler
 * (PLENARY_DB_POOLER=transaction): there the next transaction may run on a server connection
 * that never saw the statement prepared.
 */
export function statementName(name: string): string | undefined {
  return namedStatements ? name : undefined;
}
const namedStatements = setting("PLENARY_DB_POOLER") !== "transaction";

/**
 * Where reads go (lib/database/read-routing.ts): with DATABASE_REPLICA_URL, a pool and client
 * of the same size over the replica for the public pages and downloads; without it, the primary.
 */
export const reads: ReadRouter = (globalForDb.plenaryReads ??= (() => {
  const replicaUrl = building() ? undefined : setting("DATABASE_REPLICA_URL");
  const replicaPool = replicaUrl
    ? new pg.Pool({
        connectionString: replicaUrl,
        max: env().PLENARY_DB_POOL,
        connectionTimeoutMillis: 5_000,
        allowExitOnIdle: true,
      })
    : null;
  replicaPool?.on("error", () => undefined);
  const replica = replicaPool && { name: "replica" as const, db: createDb(replicaPool), pool: replicaPool };
  return new ReadRouter(
    { name: "primary", db, pool },
    replica,
    replicaUrl && `the read replica at ${new URL(replicaUrl).host}`,
  );
})());
