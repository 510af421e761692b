// Debian's PgBouncer in transaction mode in front of a test's PostgreSQL: a few server
// connections shared by every client transaction, as a deployment past a few dozen app
// instances would run it. Installed by .ci/run (apt-get install pgbouncer); on a machine
// without it the test says so (and fails under CI, which must have it).
import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { toDatabaseUrl, type PgConnection } from "@/lib/database/connection";
import { freePort } from "@/lib/runtime/ports";
import type { TestDatabase } from "./database";
import { serverUser, waitFor } from "./replica";

export const PGBOUNCER = "/usr/sbin/pgbouncer";

export type PgBouncer = {
  connection: PgConnection;
  url: string;
  version: string;
  /** SHOW <what> on PgBouncer's admin console. */
  show: (what: "POOLS" | "STATS" | "SERVERS" | "CLIENTS" | "VERSION") => Promise<Record<string, string>[]>;
  output: () => string;
  dispose: () => Promise<void>;
};

export function pgbouncerInstalled(): boolean {
  return existsSync(PGBOUNCER);
}

export async function startPgBouncer(database: TestDatabase, options: { poolSize: number }): Promise<PgBouncer> {
  const dir = mkdtempSync(path.join(process.cwd(), ".data-test", "pgbouncer-"));
  const { host, port: serverPort, user, password, database: name } = database.connection;
  const port = await freePort();
  // A plain-text password lets PgBouncer answer the client's SCRAM exchange and run its own with PostgreSQL.
  writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `${name} = host=${host} port=${serverPort} dbname=${name}`,
      "[pgbouncer]",
      `listen_addr = ${host}`,
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      `admin_users = ${user}`,
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize}`,
      "min_pool_size = 0",
      "reserve_pool_size = 0",
      `max_db_connections = ${options.poolSize}`,
      "max_client_conn = 1000",
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root: as root it runs as the `postgres` user, like PostgreSQL.
  const owner = serverUser();
  if (owner.uid !== undefined && owner.gid !== undefined)
    for (const file of [dir, ...["userlist.txt", "pgbouncer.ini"].map((f) => path.join(dir, f))])
      chownSync(file, owner.uid, owner.gid);

  const lines: string[] = [];
  const child: ChildProcess = spawn(PGBOUNCER, [path.join(dir, "pgbouncer.ini")], {
    ...owner,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      lines.push(...chunk.split("\n").filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    });
  }
  const connection: PgConnection = { host, port, user, password, database: name };
  const admin = () => new pg.Client({ ...connection, database: "pgbouncer" });
  await waitFor("PgBouncer to listen", async () => {
    if (child.exitCode !== null) throw new Error(`PgBouncer exited (code ${child.exitCode}):\n${lines.join("\n")}`);
    const client = admin();
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  const show = async (what: string): Promise<Record<string, string>[]> => {
    const client = admin();
    await client.connect();
    try {
      // A query without parameters goes by the simple protocol, the only one the admin console speaks.
      return (await client.query<Record<string, string>>(`SHOW ${what}`)).rows;
    } finally {
      await client.end();
    }
  };
  const version = String((await show("VERSION"))[0]?.version ?? "");
  return {
    connection,
    url: toDatabaseUrl(connection),
    version,
    show,
    output: () => lines.slice(-40).join("\n"),
    dispose: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
