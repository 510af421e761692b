// The one frame around every route handler under app/api: an outage of PostgreSQL becomes a
// 503 problem with Retry-After (the pool reconnects by itself, so the next request after the
// database is back succeeds), and anything else unexpected is logged and answered with a
// 500 problem carrying a sentence, never a stack trace. Expected refusals stay the routes' own.
import { problem } from "./problem";

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE =
  "The database is unreachable right now, so this request could not be completed. Please try again in a few seconds.";

// Prisma: can't reach (P1001), timed out (P1002, P1008), server closed the connection (P1017),
// no pool connection in time (P2024).
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// @prisma/adapter-pg's driver-adapter error kinds for a lost or unreachable server.
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// PostgreSQL SQLSTATEs: connection exceptions (class 08), too many connections, and the
// server shutting down, crashed or still starting (57P01–57P03).
const SQLSTATE = /^(08[0-9A-Z]{3}|53300|57P0[1-3])$/;
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
// node-postgres errors without a code, seen when a connection dies mid-query.
const MESSAGES = /Connection terminated|Can't reach database server|Client has encountered a connection error|timeout exceeded when trying to connect|Connection (?:ended|closed) unexpectedly/i;

/**
 * Whether `error` means "PostgreSQL cannot be reached right now" rather than a bug or a bad
 * query. Errors arrive wrapped (Prisma error → driver-adapter error → pg error), and the
 * shapes differ between versions, so the chain is walked and each layer judged by its fields.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length && seen.size < 16) {
    const current = pending.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const e = current as { code?: unknown; kind?: unknown; originalCode?: unknown; name?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || NODE_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
    if (typeof e.originalCode === "string" && SQLSTATE.test(e.originalCode)) return true;
    if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
    if (e.name === "PrismaClientInitializationError") return true;
    if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
    pending.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}

type Handler<R extends Request, C> = (request: R, context: C) => Response | Promise<Response>;

/** Wraps a route handler: `export const GET = routeHandler((request) => …)`. */
export function routeHandler<R extends Request, C>(handler: Handler<R, C>): (request: R, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        console.error(`plenary: ${request.method} ${pathOf(request)}: database unreachable: ${firstLine(error)}`);
        return problem(503, DATABASE_UNAVAILABLE, {}, { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) });
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

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n").filter(Boolean).at(-1)?.slice(0, 200) ?? "";
}
