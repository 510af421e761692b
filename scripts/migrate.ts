// Plenary's stand-in for `prisma migrate deploy | dev --create-only | diff` (the native schema
// engine cannot be downloaded here). Usage:
//   tsx scripts/migrate.ts deploy          apply pending prisma/migrations folders
//   tsx scripts/migrate.ts create <name>   write a new migration folder from the schema diff
//                                          (without DATABASE_URL on a throwaway embedded server)
//   tsx scripts/migrate.ts diff            print drift between the folders and schema.prisma (exit 1 if any)
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseDatabaseUrl } from "@/lib/database/connection";
import {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  isEmptyMigration,
  MigrationError,
} from "@/lib/database/migrations";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { ConfigError } from "@/lib/env";
import { freePort } from "@/lib/runtime/ports";

let stopThrowaway: (() => Promise<void>) | undefined;

async function throwawayServer() {
  mkdirSync(".data-test", { recursive: true });
  const dir = mkdtempSync(path.resolve(".data-test", "migrate-"));
  chmodSync(dir, 0o755); // the server may run as the `postgres` user
  const server = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    password: randomBytes(12).toString("hex"),
    database: "plenary",
  });
  stopThrowaway = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return server.connection;
}

const USAGE = "Usage: tsx scripts/migrate.ts deploy | create <name> | diff";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !["deploy", "create", "diff"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  // Read here rather than through lib/env's schema: this CLI needs only these settings, and
  // a malformed unrelated setting should not stop a migration. Behind a pooler the migrations'
  // session advisory lock needs a direct connection: DATABASE_DIRECT_URL when set.
  const url = process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL;
  if (!url && command === "deploy") {
    throw new ConfigError("DATABASE_URL is not set (postgresql://user:password@host:port/database).");
  }
  // `create` and `diff` only need a server to replay migrations on: without DATABASE_URL a
  // throwaway embedded PostgreSQL serves.
  const conn = url ? parseDatabaseUrl(url) : await throwawayServer();
  const started = performance.now();
  const took = () => `${Math.round(performance.now() - started)} ms`;

  if (command === "deploy") {
    const { applied } = await applyMigrations(conn);
    if (applied.length === 0) console.log(`No pending migrations on ${conn.database} (${took()}).`);
    else console.log(`Applied to ${conn.database} in ${took()}:${applied.map((name) => `\n  ${name}`).join("")}`);
    return 0;
  }

  if (command === "create") {
    const name = rest.join("_");
    if (!name) throw new ConfigError(`A migration name is required. ${USAGE}`);
    const folder = await createMigration(conn, name);
    if (!folder) console.log(`schema.prisma matches the migrations; nothing to create (${took()}).`);
    else console.log(`Created ${path.relative(process.cwd(), folder)}/migration.sql (${took()}); review, then deploy.`);
    return 0;
  }

  const sql = await diffMigrationsToSchema(conn);
  if (isEmptyMigration(sql)) {
    console.log(`No drift: prisma/migrations matches schema.prisma (${took()}).`);
    return 0;
  }
  process.stdout.write(sql.endsWith("\n") ? sql : `${sql}\n`);
  console.error(`Drift: schema.prisma differs from prisma/migrations; run \`npm run db:migration:new -- <name>\`.`);
  return 1;
}

// Exit explicitly: the pg pools are closed, but a CLI should not wait on anything else.
main(process.argv.slice(2)).then(
  async (code) => {
    await stopThrowaway?.();
    process.exit(code);
  },
  async (error: unknown) => {
    await stopThrowaway?.();
    if (error instanceof ConfigError || error instanceof MigrationError) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
