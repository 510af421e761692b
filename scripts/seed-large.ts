// `npm run seed:large -- [--datapoints N] [--users N] [--votes N] [--comments N] [--yes]`: a
// large synthetic history appended to the embedded database (or, with --yes, DATABASE_URL),
// then the whole stored log verified. See lib/imports/seed/large.ts; `--help` lists the options.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createProgress } from "@/lib/runtime/progress";
import { parseDatabaseUrl, toDatabaseUrl, type PgConnection } from "@/lib/database/connection";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/database/embedded";
import { applyMigrations, MigrationError } from "@/lib/database/migrations";
import { ConfigError, dataDir, env } from "@/lib/env";
import { portIsFree } from "@/lib/runtime/ports";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";
import { HELP, isEmbeddedDatabase, parseLargeSeedArgs } from "@/lib/imports/seed/large-options";

const EXIT = { seeded: 0, refused: 1, failed: 2 } as const;
let embedded: EmbeddedDatabase | undefined;

async function main(): Promise<number> {
  const parsed = parseLargeSeedArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`seed:large: ${parsed.message}\nRun \`npm run seed:large -- --help\` for the options.`);
    return EXIT.refused;
  }
  if (parsed.help) {
    console.log(HELP);
    return EXIT.seeded;
  }
  const connection = await database(parsed.yes);
  if (!connection) return EXIT.refused;
  const { applied } = await applyMigrations(connection);
  if (applied.length) say(`applied migrations: ${applied.join(", ")}`);
  process.env.DATABASE_URL = toDatabaseUrl(connection);

  // Imported only now: the database client connects to DATABASE_URL when it is loaded.
  const { seedLarge } = await import("@/lib/imports/seed/large");
  const { verifyStoredLog } = await import("@/lib/audit/data");
  const o = parsed.options;
  say(
    `adding ${o.users} users, ${o.datapoints} datapoints, ${o.votes} votes, ${o.comments} comments to ${connection.host}:${connection.port}/${connection.database}`,
  );
  const progress = createProgress(process.stderr, "seed:large", "events");
  const report = await seedLarge(o, connection, (done, total) => progress.update(done, total));
  progress.finish();
  say(
    `appended ${report.events.toLocaleString("en")} events in ${report.seconds.toFixed(1)} s: ${report.users} users, ${report.batches} batches, ` +
      `${report.datapoints} datapoints, ${report.votes} votes (+${report.voteChanges} changes), ${report.comments} comments ` +
      `(+${report.commentEdits} edits); closed ${report.closedDatapoints} datapoints, decided ${report.decisions}; ` +
      `${report.checkpoints} checkpoints signed; the log's head is seq ${report.headSeq}.`,
  );
  if (!parsed.verify) return EXIT.seeded;
  const started = performance.now();
  const verified = await verifyStoredLog();
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (!verified.ok) {
    for (const problem of verified.problems.slice(0, 20))
      console.error(`seq ${problem.seq}: ${problem.code}: ${problem.detail}`);
    say(`the stored log does NOT verify (${verified.problems.length} problems).`);
    return EXIT.failed;
  }
  say(`verified the stored log: ${verified.count.toLocaleString("en")} events, chain intact (${took} s).`);
  return EXIT.seeded;
}

/**
 * Where to seed: DATABASE_URL when it is this checkout's embedded server or --yes is given;
 * without DATABASE_URL the embedded server itself, started here unless `npm start` runs it.
 */
async function database(yes: boolean): Promise<PgConnection | null> {
  const settings = env();
  const secretsFile = path.join(dataDir(), "secrets.json");
  if (settings.DATABASE_URL) {
    const password = existsSync(secretsFile)
      ? ((JSON.parse(readFileSync(secretsFile, "utf8")) as { postgresPassword?: string }).postgresPassword ?? null)
      : null;
    const connection = parseDatabaseUrl(settings.DATABASE_URL);
    if (!yes && !isEmbeddedDatabase(settings.DATABASE_URL, { port: settings.PLENARY_PG_PORT, password })) {
      console.error(
        `seed:large: DATABASE_URL names ${connection.host}:${connection.port}/${connection.database}, which is not the embedded database; ` +
          "this adds a large synthetic history to it for good (the log is append-only). Add --yes if that is what you want.",
      );
      return null;
    }
    return connection;
  }
  const secrets = loadOrCreateSecrets(dataDir());
  const port = settings.PLENARY_PG_PORT;
  const local = { host: "127.0.0.1", port, user: "postgres", password: secrets.postgresPassword, database: "plenary" };
  if (!(await portIsFree(port, "127.0.0.1"))) {
    say(`using the embedded PostgreSQL already running on 127.0.0.1:${port}`);
    return local;
  }
  embedded = await startEmbeddedPostgres({
    dataDir: dataDir(),
    port,
    password: secrets.postgresPassword,
    database: "plenary",
  });
  say(`started the embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir()})`);
  return embedded.connection;
}

const say = (line: string) => console.log(`seed:large: ${line}`);

async function stop(code: number): Promise<never> {
  if (embedded) await Promise.race([embedded.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  process.exit(code);
}

main().then(stop, async (error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof MigrationError ? `seed:large: ${error.message}` : error,
  );
  await stop(EXIT.failed);
});
