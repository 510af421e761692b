// The one frame of every route handler under app/api (Formbricks' api-wrapper in spirit):
// a route declares zod schemas for its path params, its query and its body, and gets them
// parsed, or the client gets an RFC 9457 problem (404 for a path that names nothing, 400 for
// a bad query or body, 403 for a cross-site write, 411/413/415 for a body of the wrong size or
// type). When PostgreSQL is unreachable, or too busy to take the request in time, the answer
// is a 503 problem with Retry-After (the pool reconnects by itself, so a retry after the
// database is back succeeds); anything else unexpected is logged and answered with a 500
// problem carrying a sentence, never a stack trace. Expected refusals stay the routes' own.
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { parseSearchParams, problem } from "./problem";

/** Seconds a client should wait before retrying a 503. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

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
const NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);
// node-postgres errors without a code, seen when a connection dies mid-query.
const UNREACHABLE_MESSAGES =
  /Connection terminated|Can't reach database server|Client has encountered a connection error|timeout exceeded when trying to connect|Connection (?:ended|closed) unexpectedly/i;
// Busy: no pool connection in time (P2024), PostgreSQL's connection limit (53300), and an
// interactive transaction that could not start within maxWait or ran past its timeout
// (P2028, rolled back by Prisma); the codes are shared with other errors, so the messages decide.
const BUSY_MESSAGES =
  /Unable to start a transaction in the given time|expired transaction|Timed out fetching a new connection from the connection pool/i;

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
    const e = current as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (UNREACHABLE_PRISMA_CODES.has(code) || NODE_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code))
      return "unreachable";
    if (typeof e.kind === "string" && UNREACHABLE_KINDS.has(e.kind)) return "unreachable";
    if (e.name === "PrismaClientInitializationError" || UNREACHABLE_MESSAGES.test(message)) return "unreachable";
    if (code === "P2024" || code === "53300" || e.kind === "TooManyConnections" || BUSY_MESSAGES.test(message))
      return "busy";
    pending.push(e.cause, e.meta?.driverAdapterError);
  }
  return null;
}

/** The answer while the database cannot serve: 503, a sentence and when to retry. */
export function databaseUnavailable(trouble: DatabaseTrouble = "unreachable"): Response {
  return problem(
    503,
    trouble === "busy" ? DATABASE_BUSY : DATABASE_UNAVAILABLE,
    {},
    { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
  );
}

type Handler<R extends Request, C> = (request: R, context: C) => Response | Promise<Response>;

/** The request's parts a route's handler gets, parsed by the schemas it declared. */
type RouteInput<P, Q, B> = { request: NextRequest; params: P; query: Q; body: B; context: RouteContext };

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

type BodySpec<B> = ({ json: z.ZodType<B> } | { form: z.ZodType<B> }) & {
  /** Larger bodies are refused with a 413 before they are parsed. */
  maxBytes: number;
  /** What the body is, for the refusals' sentences ("the vote"). */
  noun: string;
};

export type RouteSpec<P, Q, B> = {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: BodySpec<B>;
  /** A write from another site's page (its Origin names another host) is refused with this sentence. */
  sameOrigin?: string;
  /** Headers every refusal of the frame carries (CORS on the public downloads). */
  refusalHeaders?: Record<string, string>;
  handle: (input: RouteInput<P, Q, B>) => Response | Promise<Response>;
};

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const FORM_TYPE = /^\s*(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;

/** `export const GET = route({ query: schema, handle: ({ query }) => … })` */
export function route<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>) {
  return routeHandler(async (request: NextRequest, context: RouteContext) => {
    const refuse = (status: number, detail: string) => problem(status, detail, {}, spec.refusalHeaders ?? {});
    let params = undefined as P;
    if (spec.params) {
      const parsed = spec.params.safeParse(await context.params);
      if (!parsed.success) return refuse(404, parsed.error.issues[0]!.message);
      params = parsed.data;
    }
    let query = undefined as Q;
    if (spec.query) {
      const parsed = parseSearchParams(spec.query, new URL(request.url).searchParams);
      if (!parsed.ok) {
        for (const [name, value] of Object.entries(spec.refusalHeaders ?? {})) parsed.response.headers.set(name, value);
        return parsed.response;
      }
      query = parsed.value;
    }
    if (spec.sameOrigin) {
      const origin = request.headers.get("origin");
      if (origin && !sameHost(origin, request.headers.get("host"))) return refuse(403, spec.sameOrigin);
    }
    let body = undefined as B;
    if (spec.body) {
      const read = await readBody(request, spec.body);
      if (read instanceof Response) return read;
      body = read;
    }
    return spec.handle({ request, params, query, body, context });
  });
}

async function readBody<B>(request: NextRequest, spec: BodySpec<B>): Promise<B | Response> {
  const type = request.headers.get("content-type") ?? "";
  const json = "json" in spec;
  if (json ? !JSON_TYPE.test(type) : !FORM_TYPE.test(type)) {
    return problem(
      415,
      json
        ? `Send ${spec.noun} as JSON (Content-Type: application/json).`
        : `Send ${spec.noun} as a form (application/x-www-form-urlencoded or multipart/form-data).`,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > spec.maxBytes) return problem(413, `${capitalized(spec.noun)} is at most ${spec.maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > spec.maxBytes)
    return problem(413, `${capitalized(spec.noun)} is at most ${spec.maxBytes} bytes.`);
  let raw: unknown;
  if (json) {
    try {
      raw = JSON.parse(text);
    } catch {
      return problem(400, "The body is not valid JSON.");
    }
  } else {
    try {
      raw = Object.fromEntries(await new Response(text, { headers: { "content-type": type } }).formData());
    } catch {
      return problem(400, `${capitalized(spec.noun)} could not be read as a form.`);
    }
  }
  const parsed = ("json" in spec ? spec.json : spec.form).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return problem(400, issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Whether an Origin header names the host the request was sent to. */
function sameHost(origin: string, host: string | null): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Wraps a route handler: `export const GET = routeHandler((request) => …)`; `route` builds on it. */
export function routeHandler<R extends Request, C>(
  handler: Handler<R, C>,
): (request: R, context: C) => Promise<Response> {
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
      return problem(500, "Something went wrong on our side; it has been logged. Please try again later.", {
        title: "Internal Server Error",
      });
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
