// Migrations against the integration run's real PostgreSQL server (lib/testing/server.ts).
// Every test works in its own database, dropped afterwards.
import { createHash, randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { withClient, type PgConnection } from "./connection";
import {
  applyMigrations,
  defaultPaths,
  diffMigrationsToSchema,
  isEmptyMigration,
  MigrationError,
  type MigrationPaths,
} from "./migrations";

let server: PgConnection;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  server = inject("testServer").connection;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<PgConnection> {
  const database = `plenary_migtest_${randomBytes(5).toString("hex")}`;
  await withClient(server, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`));
  const drop = (c: pg.Client) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(database)} WITH (FORCE)`);
  cleanups.push(() => withClient(server, drop).then(() => undefined));
  return { ...server, database };
}

function query<T extends object>(conn: PgConnection, sql: string): Promise<T[]> {
  return withClient(conn, async (c) => (await c.query<T>(sql)).rows);
}

/** A scratch copy of prisma/migrations, for histories with extra hand-written folders. */
async function scratchPaths(): Promise<MigrationPaths> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "plenary-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(defaultPaths.migrationsDir, path.join(dir, "migrations"), { recursive: true });
  await cp(defaultPaths.schemaPath, path.join(dir, "schema.prisma"));
  return { migrationsDir: path.join(dir, "migrations"), schemaPath: path.join(dir, "schema.prisma") };
}

async function addMigration(paths: MigrationPaths, name: string, sql: string): Promise<void> {
  await mkdir(path.join(paths.migrationsDir, name));
  await writeFile(path.join(paths.migrationsDir, name, "migration.sql"), sql);
}

// Shows the offending SQL in the failure, not just "expected false to be true".
const drift = (sql: string) => (isEmptyMigration(sql) ? "" : sql);

describe("migrations", { timeout: 60_000 }, () => {
  it("applies every folder once, recorded in _prisma_migrations with Prisma's checksums", async () => {
    const conn = await freshDatabase();
    const folders = (await readdir(defaultPaths.migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);

    const first = await applyMigrations(conn);
    expect(first.applied).toEqual(folders);

    const rows = await query<{ migration_name: string; checksum: string; done: boolean }>(
      conn,
      `SELECT migration_name, checksum, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    // Prisma's checksum: hex SHA-256 of the file's bytes.
    const sha256 = async (name: string) => {
      const file = await readFile(path.join(defaultPaths.migrationsDir, name, "migration.sql"));
      return createHash("sha256").update(file).digest("hex");
    };
    const expected = await Promise.all(
      folders.map(async (name) => ({ migration_name: name, checksum: await sha256(name), done: true })),
    );
    expect(rows).toEqual(expected);
    expect(await query(conn, `SELECT to_regclass('public.audit_events') AS t`)).toEqual([{ t: "audit_events" }]);

    expect(await applyMigrations(conn)).toEqual({ applied: [] });
    expect(await query(conn, "SELECT count(*)::int AS n FROM _prisma_migrations")).toEqual([{ n: folders.length }]);
  });

  it("has no drift: the migration folders produce exactly schema.prisma", async () => {
    const conn = await freshDatabase();
    // If this fails, schema.prisma changed without a migration: `npm run db:migration:new -- <name>`.
    expect(drift(await diffMigrationsToSchema(conn))).toBe("");
    const shadows = await query(conn, `SELECT datname FROM pg_database WHERE datname LIKE '${conn.database}_shadow_%'`);
    expect(shadows).toEqual([]);
  });

  it("reports a schema change that has no migration", async () => {
    const conn = await freshDatabase();
    const paths = await scratchPaths();
    const schema = await readFile(paths.schemaPath, "utf8");
    const probe = `  driftProbe String? @map("drift_probe")\n`;
    await writeFile(
      paths.schemaPath,
      schema.replace("model Checkpoint {\n", (model) => model + probe),
    );
    expect(drift(await diffMigrationsToSchema(conn, paths))).toContain(`ADD COLUMN     "drift_probe" TEXT`);
  });

  it("applies hand-written plpgsql, CHECK constraints and triggers, which are not drift", async () => {
    const conn = await freshDatabase();
    const paths = await scratchPaths();
    // zz_test_ names cannot collide with the project's own hand-written SQL. Semicolons inside
    // $$ … $$: the whole script must reach PostgreSQL in one piece.
    await addMigration(
      paths,
      "99990101000000_handwritten",
      `ALTER TABLE "votes" ADD CONSTRAINT "zz_test_option_not_empty" CHECK ("option" <> '');
CREATE FUNCTION zz_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'zz_test: % refused; nothing written', TG_OP;
END;
$$;
CREATE TRIGGER zz_test_refuse BEFORE INSERT ON "verification_tokens"
  FOR EACH ROW EXECUTE FUNCTION zz_test_refuse();
`,
    );
    expect((await applyMigrations(conn, paths)).applied).toContain("99990101000000_handwritten");
    const id = "00000000-0000-7000-8000-000000000000";
    const vote = `INSERT INTO votes (id, datapoint_id, user_id, option, shown, audit_seq)
                  VALUES ('${id}', '${id}', '${id}', '', '{}', 1)`;
    await expect(query(conn, vote)).rejects.toThrow(/zz_test_option_not_empty/);
    await expect(
      query(conn, `INSERT INTO verification_tokens (identifier, token, expires) VALUES ('a', 'b', now())`),
    ).rejects.toThrow(/zz_test: INSERT refused; nothing written/);

    expect(drift(await diffMigrationsToSchema(conn, paths))).toBe("");
  });

  it("reports a hand-written index that schema.prisma does not declare", async () => {
    const conn = await freshDatabase();
    const paths = await scratchPaths();
    await addMigration(paths, "99990101000000_index", `CREATE INDEX "votes_option_idx" ON "votes" ("option");\n`);
    // Unlike CHECKs and triggers, indexes are in Prisma's model: declare them with @@index.
    expect(drift(await diffMigrationsToSchema(conn, paths))).toContain(`DROP INDEX "votes_option_idx"`);
  });

  it("rolls a failing migration back whole and says which one failed", async () => {
    const conn = await freshDatabase();
    const paths = await scratchPaths();
    const broken = `CREATE TABLE "half_done" ("id" INT);\nSELECT no_such_function();\n`;
    await addMigration(paths, "99990101000000_broken", broken);
    const failure = await applyMigrations(conn, paths).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/^Migration 99990101000000_broken failed: .*no_such_function\(\)/);
    expect((failure as Error).message).not.toMatch(/schema_engine_wasm::/);
    expect(await query(conn, `SELECT to_regclass('public.half_done') AS t`)).toEqual([{ t: null }]);
  });
});
