// The one module that reads process.env. Every setting Plenary understands is here,
// with its default; README.md's configuration table mirrors this file.
import path from "node:path";
import { z } from "zod";

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const port = z.coerce.number().int().min(1).max(65_535);

const schema = z.object({
  /** External PostgreSQL; when unset, `npm start` runs an embedded one in PLENARY_DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  /**
   * A streaming (physical) replica of DATABASE_URL's server: the public pages, the read API and
   * the exports read from it (lib/database/read-routing.ts); unset, everything reads the primary.
   */
  DATABASE_REPLICA_URL: z.url().optional(),
  /**
   * A direct connection to DATABASE_URL's server for migrations, when DATABASE_URL goes through a
   * pooler (migrations hold a session advisory lock); unset, migrations use DATABASE_URL.
   */
  DATABASE_DIRECT_URL: z.url().optional(),
  /**
   * `transaction`: DATABASE_URL goes through a pooler in transaction mode (PgBouncer before 1.21,
   * or without max_prepared_statements), so the app prepares no named statements.
   */
  PLENARY_DB_POOLER: z.enum(["none", "transaction"]).default("none"),
  /** Server for integration tests; when unset, the test run starts its own embedded one. */
  DATABASE_URL_TEST: z.url().optional(),
  PORT: port.default(3000),
  /** Where the embedded database and generated secrets live. */
  PLENARY_DATA_DIR: z.string().min(1).default(".data"),
  /** Loopback port of the embedded PostgreSQL. */
  PLENARY_PG_PORT: port.default(5433),
  /** Demo sign-in for the seeded demo accounts; default on with the embedded database. */
  PLENARY_DEMO: flag.optional(),
  /** Seed the demo content on start (idempotent); default on with the embedded database. */
  PLENARY_SEED: flag.optional(),
  NEXTAUTH_URL: z.url().optional(),
  /** SMTP server for magic-link email (smtp://user:pass@host:port); unset: links go to the console. */
  SMTP_URL: z.url().optional(),
  EMAIL_FROM: z.string().min(3).default("Plenary <no-reply@plenary.local>"),
  /** GitHub OAuth app; the GitHub sign-in button appears when both are set. */
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  /** Pool size of the app's PostgreSQL connections. */
  PLENARY_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Ed25519 private key (PKCS#8 PEM file) that signs checkpoints, kept outside the database.
   * Unset: PLENARY_DATA_DIR/checkpoint-key.pem, generated on first start. A file named here
   * must exist: generating a new key where one was expected would silently change the log's key.
   */
  PLENARY_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  /** The log's name: first line of every checkpoint and the signing key's name (c2sp.org/tlog-checkpoint). */
  PLENARY_LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+\p{Cc}]+$/u, "use a schema-less URL such as example.org/log, without spaces or plus signs")
    .default("plenary.local/log"),
  /** Sign a checkpoint once this many events are not yet covered by one… */
  PLENARY_CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(1).default(1000),
  /** …or once the last checkpoint is this many seconds old and events arrived since. */
  PLENARY_CHECKPOINT_EVERY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * Public API requests (/api/**, /.well-known/**; not sign-in or /api/health) each client may
   * make per minute, counted per server instance (lib/http/rate-limit.ts). 0 turns limiting off,
   * for deployments whose load balancer already limits.
   */
  PLENARY_API_RATE_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
  /** Requests a rested client may send at once; unset: one minute's worth (PLENARY_API_RATE_PER_MINUTE). */
  PLENARY_API_RATE_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /**
   * Trust the first X-Forwarded-For hop as the client's address. Set it only behind a reverse
   * proxy that writes that header itself: otherwise any client could claim a fresh address per
   * request. Unset, clients are told apart by the socket address the production server stamps.
   */
  PLENARY_TRUST_PROXY: flag.default(false),
  /**
   * Internal, set by the production server itself (scripts/next-server.mjs): the token its
   * stamp of each request's socket address carries, so the proxy believes only that stamp.
   */
  PLENARY_CLIENT_ADDRESS_TOKEN: z.string().min(16).optional(),
});

export type Env = z.infer<typeof schema>;

const KEYS = Object.keys(schema.shape) as (keyof Env)[];
let last: { raw: (string | undefined)[]; parsed: Env } | null = null;

/**
 * Parsed settings, as process.env holds them at the call: the start script sets DATABASE_URL
 * once the embedded database is up, and tests change settings as they go. Parsing is redone
 * only when one of the settings' raw values changed: parsing them all (two URLs among them)
 * on every request showed in the production server's profile (BENCHMARKS.md §6). A bad
 * value is one clear sentence.
 */
export function env(): Env {
  const raw = KEYS.map((key) => process.env[key]);
  if (last && raw.every((value, i) => value === last!.raw[i])) return last.parsed;
  const parsed = schema.safeParse(Object.fromEntries(KEYS.map((key, i) => [key, raw[i]])));
  if (!parsed.success) throw invalid(parsed.error.issues[0]!);
  last = { raw, parsed: Object.freeze(parsed.data) };
  return last.parsed;
}

const kept = new Map<keyof Env, { raw: string | undefined; value: unknown }>();

/**
 * One setting, parsed by itself and kept while its raw value stays the same: for what runs
 * on every request (the session cookie's name), one process.env read instead of one per
 * setting, which showed in the production server's profile (BENCHMARKS.md §6).
 */
export function setting<K extends keyof Env>(key: K): Env[K] {
  const raw = process.env[key];
  const known = kept.get(key);
  if (known && known.raw === raw) return known.value as Env[K];
  const parsed = schema.shape[key].safeParse(raw);
  if (!parsed.success) throw invalid({ ...parsed.error.issues[0]!, path: [key] });
  kept.set(key, { raw, value: parsed.data });
  return parsed.data as Env[K];
}

function invalid(issue: { path: PropertyKey[]; message: string }): ConfigError {
  return new ConfigError(`Setting ${issue.path.map(String).join(".")} is invalid: ${issue.message}.`);
}

export function dataDir(): string {
  return path.resolve(env().PLENARY_DATA_DIR);
}

/** Demo sign-in: explicit setting wins; otherwise on exactly when the database is embedded. */
export function demoEnabled(): boolean {
  return env().PLENARY_DEMO ?? !env().DATABASE_URL;
}

/** The public API's rate limit, or null when turned off; the burst defaults to one minute's worth. */
export function apiRateLimits(): { perMinute: number; burst: number } | null {
  const { PLENARY_API_RATE_PER_MINUTE: perMinute, PLENARY_API_RATE_BURST: burst } = env();
  return perMinute === 0 ? null : { perMinute, burst: burst ?? perMinute };
}

/** Inside `next build`, which sets NEXT_PHASE for the workers that load every route's modules. */
export function building(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new ConfigError("DATABASE_URL is not set; start Plenary with `npm start`.");
  return url;
}

/** A configuration mistake: reported as one sentence, never a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
