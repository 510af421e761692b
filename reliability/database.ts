// The PostgreSQL a reliability test runs against: an embedded server of its own on a free
// loopback port in a temporary directory, migrated, and stoppable and restartable in place
// (same data, same port) so a test can take the database away under load.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { toDatabaseUrl, type PgConnection } from "@/lib/database/connection";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrations";
import { freePort } from "@/lib/runtime/ports";

export type TestDatabase = {
  connection: PgConnection;
  url: string;
  /** PostgreSQL's data directory (for a test that copies it: reliability/replica.ts). */
  pgDir: string;
  /** A small pool for the test's own SQL checks. */
  sql: pg.Pool;
  /** Stops PostgreSQL (fast shutdown: running transactions are rolled back, sessions ended). */
  stopServer: () => Promise<void>;
  /** Starts it again on the same data and port. */
  startServer: () => Promise<void>;
  /** Stops everything and removes the data. */
  dispose: () => Promise<void>;
};

export async function startDatabase(): Promise<TestDatabase> {
  mkdirSync(".data-test", { recursive: true });
  const dataDir = mkdtempSync(path.join(process.cwd(), ".data-test", "reliability-db-"));
  // As root the server runs as the `postgres` user, which must reach its directory.
  chmodSync(dataDir, 0o755);
  const options = { dataDir, port: await freePort(), password: randomBytes(12).toString("hex"), database: "plenary" };
  let server: EmbeddedDatabase | null = await startEmbeddedPostgres(options);
  await applyMigrations(server.connection);
  const connection = server.connection;
  const sql = new pg.Pool({ ...connection, max: 3 });
  // Idle connections die when the server is restarted on purpose; that is not a test failure.
  sql.on("error", () => undefined);
  return {
    connection,
    url: toDatabaseUrl(connection),
    pgDir: path.join(dataDir, "pg"),
    sql,
    stopServer: async () => {
      await server?.stop();
      server = null;
    },
    startServer: async () => {
      server ??= await startEmbeddedPostgres(options);
    },
    dispose: async () => {
      await sql.end().catch(() => undefined);
      await server?.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
