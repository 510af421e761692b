// PostgreSQL connection settings as separate fields (a connection string would override
// per-call settings such as the database name of a shadow or test database).
import pg from "pg";
import { ConfigError } from "@/lib/env";

export type PgConnection = {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
};

export function parseDatabaseUrl(url: string): PgConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL is not a valid URL (expected postgresql://user:password@host:port/database).");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ConfigError(`DATABASE_URL must start with postgresql://, not ${parsed.protocol}//.`);
  }
  return {
    host: decodeURIComponent(parsed.hostname) || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || "postgres",
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
}

export function toDatabaseUrl(conn: PgConnection): string {
  const auth = encodeURIComponent(conn.user) + (conn.password ? `:${encodeURIComponent(conn.password)}` : "");
  return `postgresql://${auth}@${conn.host}:${conn.port}/${encodeURIComponent(conn.database)}`;
}

/** One sentence for a connection failure, naming where and why. */
function describeConnectionError(conn: PgConnection, error: unknown): string {
  const e = error as { code?: string; message?: string };
  const where = `PostgreSQL at ${conn.host}:${conn.port}`;
  switch (e.code) {
    case "ECONNREFUSED":
      return `Cannot reach ${where}: connection refused (is the server running?).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach ${where}: the host name does not resolve.`;
    case "ETIMEDOUT":
      return `Cannot reach ${where}: the connection timed out.`;
    case "28P01":
    case "28000":
      return `${where} refused the credentials for user "${conn.user}".`;
    case "3D000":
      return `${where} has no database "${conn.database}".`;
    default:
      return `Cannot use ${where}: ${e.message ?? String(error)}.`;
  }
}

/** Connect once and run `fn`; connection failures become a ConfigError with one sentence. */
export async function withClient<T>(conn: PgConnection, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...conn, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ConfigError(describeConnectionError(conn, error));
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create `conn.database` unless it exists (connecting to the server's maintenance database). */
export async function ensureDatabase(conn: PgConnection): Promise<boolean> {
  return withClient({ ...conn, database: "postgres" }, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [conn.database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(conn.database)}`);
    return true;
  });
}
