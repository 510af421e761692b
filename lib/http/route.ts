// The one frame around every route handler under app/api: when PostgreSQL is unreachable, or
// too busy to take the request in time, the answer is a 503 problem with Retry-After (the pool
// reconnects by itself, so a retry after the database is back succeeds); anything else
// unexpected is logged and answered with a 500 problem carrying a sentence, never a stack
// trace. Expected refusals stay the routes' own.
import { problem } from "./problem";

/** Seconds a client should wait before retrying a 503. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE =
  "The database is unreachable right now, so this request could not be completed. Please try again in a few seconds.";
export const DATABASE_BUSY =
  "The database is too busy to take this request right now, so nothing was done. Please try again in a few seconds.";

export type DatabaseTrouble = "unreachable" | "busy";

// Prisma: can't reach (P1001), timed out (P1002, P1008), server closed the connection (P1017).
const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
// @prisma/adapter-pg's driver-adapter error kinds for a lost or unreachable server.
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
// PostgreSQL SQLSTATEs: connection exceptions (class 08) and the server shutting down,
// crashed or still starting (57P01–57P03).
const UNREACHABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3])$/;
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
// node-postgres errors without a code, seen when a connection dies mid-query.
const UNREACHABLE_MESSAGES = /Connection terminated|Can't reach database server|Client has encountered a connection error|timeout exceeded when trying to connect|Connection (?:ended|closed) unexpectedly/i;
// Busy: no pool connection in time (P2024), PostgreSQL's connection limit (53300), and an
// interactive transaction that could not start within maxWait or ran past its timeout
// (P2028, rolled back by Prisma); the codes are shared with other errors, so the messages decide.
const BUSY_MESSAGES = /Unable to start a transaction in the given time|expired transaction|Timed out fetching a new connection from the connection pool/i;

/**
 * Whether `error` means PostgreSQL cannot be reached right now, or cannot take more work in
 * time, rather than a bug or a bad query. Errors arrive wrapped (Prisma error → driver-adapter
 * error → pg error) and their shapes differ between versions, so the chain is walked and each
 * layer judged by its fields.
 */
export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length && seen.size < 16) {
    const current = pending.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const e = current as { code?: unknown; kind?: unknown; originalCode?: unknown; name?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (UNREACHABLE_PRISMA_CODES.has(code) || NODE_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code)) return "unreachable";
    if (typeof e.kind === "string" && UNREACHABLE_KINDS.has(e.kind)) return "unreachable";
    if (e.name === "PrismaClientInitializationError" || UNREACHABLE_MESSAGES.test(message)) return "unreachable";
    if (code === "P2024" || code === "53300" || e.kind === "TooManyConnections" || BUSY_MESSAGES.test(message)) return "busy";
    pending.push(e.cause, e.meta?.driverAdapterError);
  }
  return null;
}

/** The answer while the database cannot serve: 503, a sentence and when to retry. */
export function databaseUnavailable(trouble: DatabaseTrouble = "unreachable"): Response {
  return problem(503, trouble === "busy" ? DATABASE_BUSY : DATABASE_UNAVAILABLE, {}, { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) });
}

type Handler<R extends Request, C> = (request: R, context: C) => Response | Promise<Response>;

/** Wraps a route handler: `export const GET = routeHandler((request) => …)`. */
export function routeHandler<R extends Request, C>(handler: Handler<R, C>): (request: R, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      const trouble = databaseTrouble(error);
      if (trouble) {
        console.error(`plenary: ${request.method} ${pathOf(request)}: database ${trouble}: ${lastLine(error)}`);
        return databaseUnavailable(trouble);
      }
      console.error(`plenary: ${request.method} ${pathOf(request)} failed`, error);
      return problem(500, "Something went wrong on our side; it has been logged. Please try again later.", { title: "Internal Server Error" });
    }
  };
}

function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return "(unknown path)";
  }
}

function lastLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n").filter(Boolean).at(-1)?.slice(0, 200) ?? "";
}
