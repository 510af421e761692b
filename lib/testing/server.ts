// The PostgreSQL server that integration tests run against: DATABASE_URL_TEST when set,
// otherwise an embedded one on a free port in a temporary directory, started per run.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseDatabaseUrl, withClient, type PgConnection } from "@/lib/database/connection";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrations";
import { freePort } from "@/lib/runtime/ports";

export type TestServer = { connection: PgConnection; template: string };

export async function startTestServer(): Promise<{ server: TestServer; stop: () => Promise<void> }> {
  let connection: PgConnection;
  let stopServer = async () => {};
  const external = process.env.DATABASE_URL_TEST;
  if (external) {
    connection = parseDatabaseUrl(external);
  } else {
    const dir = mkdtempSync(path.join(process.cwd(), ".data-test", "int-"));
    // The embedded server may run as the `postgres` user (when tests run as root).
    chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      password: randomBytes(12).toString("hex"),
      database: "postgres",
    });
    connection = embedded.connection;
    stopServer = async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  // Every test file gets a copy of this template, so files run in parallel in isolation.
  const template = `plenary_template_${randomBytes(4).toString("hex")}`;
  await withClient(connection, (c) => c.query(`CREATE DATABASE ${template}`));
  await applyMigrations({ ...connection, database: template });
  const dropTemplate = () =>
    withClient(connection, (c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)).then(() => undefined);
  return {
    server: { connection, template },
    stop: async () => {
      await dropTemplate().catch(() => undefined);
      await stopServer();
    },
  };
}

/** A fresh database cloned from the migrated template. */
export async function createTestDatabase(
  server: TestServer,
): Promise<{ connection: PgConnection; drop: () => Promise<void> }> {
  const name = `plenary_test_${randomBytes(6).toString("hex")}`;
  await withClient(server.connection, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${server.template}`));
  return {
    connection: { ...server.connection, database: name },
    drop: () =>
      withClient(server.connection, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
