// Where a read goes when a streaming replica is configured (DATABASE_REPLICA_URL; lib/db.ts
// makes the clients and one ReadRouter over them). Without a replica every method below is a
// direct call on the primary: nothing else runs on the default path.
//
// - Public pages' readers (`page`) read the replica, unless the client wrote something the
//   replica has not replayed yet: after a write the app gives the writer a cookie with the
//   primary's WAL position (`noteWrite`), and until the replica's replay position passes it
//   that client reads the primary, so a voter sees their own vote at once however far the
//   replica lags.
// - A request that must read one snapshot (a download cut at a checkpoint, a proof at a tree
//   size) runs in a `scope`: one source for all its reads, the replica only if it holds the
//   position asked for. Readers shared with writers (`scoped`: the log, checkpoints) read
//   the scope's source, and the primary outside a scope, so signing and sequencing never
//   read a replica.
// - A replica that cannot be reached (or cancels a read for a conflict with recovery) costs
//   nothing but a log line: the read runs again on the primary, and the replica is tried
//   again after RETRY_REPLICA_AFTER_MS. Falling back mid-scope is safe: the primary is never
//   behind the replica, and every table a cut reads is append-only up to the cut.
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { setting } from "@/lib/env";
import { databaseTrouble } from "@/lib/http/route";
import { formatLsn, parseLsn } from "./wal";

export type ReadSource = { name: "primary" | "replica"; db: PrismaClient; pool: pg.Pool };

/** Positions a scope's source must hold: the log up to `seq`, signed checkpoints up to `treeSize`. */
export type Covers = { seq?: bigint; treeSize?: bigint };

/** The writer's cookie: the primary's WAL position (LSN) just after the client's latest write. */
export const WROTE_COOKIE = "plenary-wrote";
/** How long a writer's reads wait for the replica to replay the write; past it, a lagging replica shows the write late. */
const WROTE_MAX_AGE_SECONDS = 600;
const RETRY_REPLICA_AFTER_MS = 5_000;
/** A replay position read this recently is good enough to compare a cookie with. */
const REPLAY_FRESH_MS = 50;

type Scope = { source: ReadSource };

export class ReadRouter {
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private downUntil = 0;
  private down = false;
  private replay = { lsn: -1n, at: 0, reading: null as Promise<bigint> | null };
  private writePosition: SharedQuery<bigint>;

  constructor(
    readonly primary: ReadSource,
    readonly replica: ReadSource | null,
    private readonly where = "the read replica",
  ) {
    this.writePosition = new SharedQuery(async () => lsnOf(await primary.pool.query(CURRENT_LSN_SQL)));
  }

  /** A public page's read: the request's scope, else the replica when it can serve this client, else the primary. */
  async page<T>(read: (db: PrismaClient) => Promise<T>): Promise<T> {
    if (!this.replica) return read(this.primary.db);
    const scope = this.scopes.getStore();
    return this.run(scope?.source ?? (await this.choose({})), (source) => read(source.db), scope);
  }

  /** A read shared with writers (the log, checkpoints): the request's scope, else the primary. */
  scoped<T>(read: (source: ReadSource) => Promise<T>): Promise<T> {
    const scope = this.replica ? this.scopes.getStore() : undefined;
    return scope ? this.run(scope.source, read, scope) : read(this.primary);
  }

  /**
   * Runs `work` with every read in it from one source: the replica if it holds `covers` and
   * can serve this client. Should the replica fail `work` (reading through `client`), it runs
   * again on the primary.
   */
  async scope<T>(covers: Covers, work: () => Promise<T>): Promise<T> {
    if (!this.replica) return work();
    const scope: Scope = { source: await this.choose(covers) };
    try {
      return await this.scopes.run(scope, work);
    } catch (error) {
      if (scope.source !== this.replica || !this.replicaFailed(error)) throw error;
      return this.scopes.run({ source: this.primary }, work);
    }
  }

  /** The client of the current scope (the primary outside one), for readers with many queries inside a `scope`. */
  client(): PrismaClient {
    return (this.replica && this.scopes.getStore()?.source.db) || this.primary.db;
  }

  /** Runs `work` with every read in it from the primary (moderation: decisions are made on what it shows). */
  onPrimary<T>(work: () => Promise<T>): Promise<T> {
    return this.replica ? this.scopes.run({ source: this.primary }, work) : work();
  }

  /**
   * After a write: the primary's WAL position now (past the write's commit), for the writer's
   * cookie. Calls arriving together share one query. Null without a replica.
   */
  async positionAfterWrite(): Promise<string | null> {
    return this.replica ? formatLsn(await this.writePosition.next()) : null;
  }

  private async choose(covers: Covers): Promise<ReadSource> {
    const replica = this.replica!;
    if (Date.now() < this.downUntil) return this.primary;
    try {
      const wrote = await lastWriteOfRequest();
      if (wrote !== null && (await this.replayedUpTo(wrote)) < wrote) return this.primary;
      if ((covers.seq !== undefined || covers.treeSize !== undefined) && !(await this.holds(covers)))
        return this.primary;
      return replica;
    } catch (error) {
      if (!this.replicaFailed(error)) throw error;
      return this.primary;
    }
  }

  private async run<T>(
    source: ReadSource,
    read: (source: ReadSource) => Promise<T>,
    scope: Scope | undefined,
  ): Promise<T> {
    if (source !== this.replica) return read(source);
    try {
      const result = await read(source);
      if (this.down) {
        this.down = false;
        console.log(`plenary: ${this.where} answers again; public reads use it.`);
      }
      return result;
    } catch (error) {
      if (!this.replicaFailed(error)) throw error;
      // The rest of the scope reads the primary too: it holds whatever the replica held.
      if (scope) scope.source = this.primary;
      return read(this.primary);
    }
  }

  /** Whether the replica's error means "read the primary instead"; an unreachable replica is left alone for a while. */
  private replicaFailed(error: unknown): boolean {
    const trouble = databaseTrouble(error);
    if (trouble === "unreachable") {
      if (!this.down)
        console.error(
          `plenary: ${this.where} is unreachable (${lastLine(error)}); reading from the primary, trying the replica again every ${RETRY_REPLICA_AFTER_MS / 1000} s.`,
        );
      this.down = true;
      this.downUntil = Date.now() + RETRY_REPLICA_AFTER_MS;
      return true;
    }
    return trouble === "busy" || isRecoveryConflict(error);
  }

  /** How far the replica has replayed the primary's WAL (read again when older than REPLAY_FRESH_MS and short of `wanted`). */
  private async replayedUpTo(wanted: bigint): Promise<bigint> {
    const replay = this.replay;
    if (replay.lsn >= wanted || Date.now() - replay.at < REPLAY_FRESH_MS) return replay.lsn;
    replay.reading ??= this.replica!.pool.query(REPLAY_LSN_SQL)
      .then((result) => {
        replay.lsn = lsnOf(result);
        replay.at = Date.now();
        return replay.lsn;
      })
      .finally(() => (replay.reading = null));
    return replay.reading;
  }

  private async holds(covers: Covers): Promise<boolean> {
    const { rows } = await this.replica!.pool.query<{ head: string | null; signed: string | null }>(HOLDS_SQL);
    const head = BigInt(rows[0]?.head ?? 0);
    const signed = BigInt(rows[0]?.signed ?? 0);
    return (
      (covers.seq === undefined || head >= covers.seq) && (covers.treeSize === undefined || signed >= covers.treeSize)
    );
  }
}

// A standby has no current WAL position of its own; a server that is not one (the primary
// itself, named as its own replica) has replayed everything it wrote.
const REPLAY_LSN_SQL = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`;
const CURRENT_LSN_SQL = `SELECT pg_current_wal_lsn()::text AS lsn`;
const HOLDS_SQL = `SELECT (SELECT last_seq FROM audit_head WHERE id = 1)::text AS head, (SELECT max(tree_size) FROM checkpoints)::text AS signed`;

function lsnOf(result: pg.QueryResult<{ lsn: string | null }>): bigint {
  const text = result.rows[0]?.lsn;
  return text ? (parseLsn(text) ?? 0n) : 0n;
}

/** The WAL position in this request's writer cookie; null outside a request (timers, scripts) or without one. */
async function lastWriteOfRequest(): Promise<bigint | null> {
  let value: string | undefined;
  try {
    const { cookies } = await import("next/headers");
    value = (await cookies()).get(WROTE_COOKIE)?.value;
  } catch (error) {
    // Next's own control flow (a dynamic-rendering bail-out) carries a digest: not ours to swallow.
    if (error && typeof error === "object" && "digest" in error) throw error;
    return null;
  }
  return value ? parseLsn(value) : null;
}

/** Sets the writer cookie on the response of the current server action or route handler. */
export async function setWriterCookie(lsn: string): Promise<void> {
  const { cookies } = await import("next/headers");
  const jar = await cookies();
  // Several writes in one request, or an older position a slower response carries: keep the furthest.
  const previous = parseLsn(jar.get(WROTE_COOKIE)?.value ?? "");
  if (previous !== null && previous >= (parseLsn(lsn) ?? 0n)) return;
  jar.set(WROTE_COOKIE, lsn, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: WROTE_MAX_AGE_SECONDS,
    secure: (setting("NEXTAUTH_URL") ?? "").startsWith("https://"),
  });
}

/** PostgreSQL cancels a standby's query that would hold back replay too long (SQLSTATE 40001 on a hot standby). */
function isRecoveryConflict(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let i = 0; pending.length && i < 16; i++) {
    const e = pending.shift() as
      { message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null | undefined;
    if (!e || typeof e !== "object") continue;
    if (typeof e.message === "string" && /conflict with recovery/i.test(e.message)) return true;
    pending.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}

function lastLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n").at(-1)!.slice(0, 200);
}

/**
 * One query for many callers: a caller gets the result of a query that started after it
 * called (so the WAL position read is past its commit); callers arriving while one runs share
 * the next.
 */
class SharedQuery<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;
  constructor(private readonly query: () => Promise<T>) {}

  next(): Promise<T> {
    if (!this.running) {
      const round = this.query();
      this.running = round;
      void round
        .finally(() => {
          if (this.running === round) this.running = null;
        })
        .catch(() => undefined);
      return round;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        this.running = null;
        return this.next();
      });
    return this.queued;
  }
}
