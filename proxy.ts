// Next 16 request interception (formerly middleware.ts): server-action calls and request
// bodies checked before Next reads them (lib/http/request-guard.ts), and for the public API
// rate limiting per client and CORS for reads. It runs in the Node.js runtime of each server instance; the
// buckets are rows in PostgreSQL, shared by every instance (lib/limits/mutations.ts), with
// this instance's memory as the fallback while the database cannot be reached.
import { NextResponse, type NextRequest } from "next/server";
import { apiRateLimits, env } from "@/lib/env";
import { problem } from "@/lib/http/problem";
import {
  CLIENT_ADDRESS_HEADER,
  RateLimiter,
  clientKey,
  isRateLimited,
  rateLimitHeaders,
  stampedAddress,
} from "@/lib/http/rate-limit";
import { refuseByBody, refuseByHeaders } from "@/lib/http/request-guard";
import { takeSharedToken } from "@/lib/limits/mutations";
import { REFUSAL_EXPOSED_HEADERS, isPublicApi, preflightHeaders } from "@/lib/openapi/cors";

// Settings are read on the first request, not at import: `next build` evaluates this module too.
let limiter: RateLimiter | null | undefined;
let trustProxy = false;
let addressToken: string | undefined;
let sharedStoreError = "";

/**
 * A token from the client's shared bucket; while PostgreSQL cannot be reached, from this
 * instance's own bucket for the client (reported once per outage), so the API stays limited.
 */
async function takeApiToken(local: RateLimiter, client: string) {
  try {
    const decision = await takeSharedToken(client, local.limits);
    if (sharedStoreError) console.error("plenary: the shared rate-limit buckets can be reached again");
    sharedStoreError = "";
    return decision;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== sharedStoreError)
      console.error(`plenary: rate limiting in this instance's memory, the shared buckets failed: ${message}`);
    sharedStoreError = message;
    return local.take(client);
  }
}

function configuredLimiter(): RateLimiter | null {
  if (limiter === undefined) {
    const limits = apiRateLimits();
    limiter = limits ? new RateLimiter(limits) : null;
    trustProxy = env().PLENARY_TRUST_PROXY;
    addressToken = env().PLENARY_CLIENT_ADDRESS_TOKEN;
  }
  return limiter;
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const refusal = (await refuseByHeaders(request)) ?? (await refuseByBody(request));
  if (refusal) return refusal;

  const cors = isPublicApi(pathname);
  // Preflights are answered here and not counted: they carry no work, and a browser sends one
  // before many reads, so counting them would halve a page's allowance.
  if (request.method === "OPTIONS") {
    if (!cors) return NextResponse.next();
    return new Response(null, {
      status: 204,
      headers: preflightHeaders(request.headers.get("access-control-request-headers")),
    });
  }

  const headers: Record<string, string> = {};
  // Routes that set the same header themselves (the downloads) are not doubled: Next keeps
  // the proxy's value and skips the route's for a header already present.
  if (cors && (request.method === "GET" || request.method === "HEAD")) headers["Access-Control-Allow-Origin"] = "*";

  const buckets = isRateLimited(pathname) ? configuredLimiter() : null;
  if (buckets) {
    const socketAddress = stampedAddress(request.headers.get(CLIENT_ADDRESS_HEADER), addressToken);
    const decision = await takeApiToken(
      buckets,
      clientKey({ forwardedFor: request.headers.get("x-forwarded-for"), socketAddress }, trustProxy),
    );
    Object.assign(headers, rateLimitHeaders(decision));
    if (!decision.allowed) {
      if (cors) headers["Access-Control-Expose-Headers"] = REFUSAL_EXPOSED_HEADERS;
      const detail = `Too many requests: the limit is ${decision.limit} at once, refilled at ${buckets.limits.perMinute} a minute. Try again in ${decision.retryAfterSeconds} s.`;
      return problem(429, detail, {}, headers);
    }
  }
  return NextResponse.next({ headers });
}

// A coarse filter so pages and assets never enter the proxy, except server-action calls
// (posts to pages, matched by their Next-Action header or a form body); the functions above
// decide exactly.
export const config = {
  matcher: [
    "/api/:path*",
    "/.well-known/:path*",
    { source: "/((?!_next/static|_next/image).*)", has: [{ type: "header", key: "next-action" }] },
    {
      source: "/((?!_next/static|_next/image|api/).*)",
      has: [
        {
          type: "header",
          key: "content-type",
          value: "(multipart/form-data|application/x-www-form-urlencoded|text/plain).*",
        },
      ],
    },
  ],
};
