// Rate limiting of the public API (proxy.ts): a token bucket per client. The buckets live in
// PostgreSQL (`api_rate_buckets`, taken by lib/limits/mutations.ts), so every app instance
// counts against the same bucket and N instances allow the configured rate once, not N times.
// The in-memory RateLimiter below keeps a bucket per client in this instance while the shared
// store cannot be reached (the proxy falls back to it, so an outage neither lets everything
// through unlimited nor refuses the API outright).
// The bucket arithmetic is pure (time is an argument) so it is tested without waiting; the
// SQL function `plenary_take_api_token` does the same arithmetic and a test holds them equal.

export type RateLimits = {
  /** Tokens added back per minute: the sustained rate. */
  perMinute: number;
  /** Bucket size: how many requests a rested client may send at once. */
  burst: number;
};

export type Bucket = { tokens: number; at: number };

export type RateDecision = {
  allowed: boolean;
  /** The bucket size (RateLimit-Limit). */
  limit: number;
  /** Whole requests left now (RateLimit-Remaining). */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until the next request would be allowed; 0 when this one was (Retry-After). */
  retryAfterSeconds: number;
  bucket: Bucket;
};

/** One request's worth of the bucket: refill for the time since it was last seen, then take a token. */
export function takeToken(bucket: Bucket | undefined, now: number, limits: RateLimits): RateDecision {
  const perMs = limits.perMinute / 60_000;
  // A clock that steps backwards must not drain anyone's bucket: elapsed time is never negative.
  const refilled = bucket ? Math.min(limits.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs) : limits.burst;
  const allowed = refilled >= 1;
  return rateDecision(allowed, allowed ? refilled - 1 : refilled, now, limits);
}

/** The decision, and the header figures, for a bucket left with `tokens` after this request. */
export function rateDecision(allowed: boolean, tokens: number, now: number, limits: RateLimits): RateDecision {
  const perMs = limits.perMinute / 60_000;
  return {
    allowed,
    limit: limits.burst,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((limits.burst - tokens) / perMs / 1000),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)),
    bucket: { tokens, at: now },
  };
}

/** How long a bucket takes to refill from empty: a bucket not seen for longer is full, and forgettable. */
export function fullRefillSeconds(limits: RateLimits): number {
  return Math.ceil((limits.burst * 60) / limits.perMinute);
}

/**
 * The buckets of recently seen clients. A Map keeps insertion order, and each request moves
 * its client to the end, so the first entry is the client seen least recently: the one to
 * drop when the map is full. Its bucket has most likely refilled anyway, so dropping it
 * usually forgets nothing; the cap bounds memory when many addresses pass by.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: RateLimits,
    private readonly maxClients = 10_000,
  ) {}

  take(client: string, now: number = Date.now()): RateDecision {
    const decision = takeToken(this.buckets.get(client), now, this.limits);
    this.buckets.delete(client);
    this.buckets.set(client, decision.bucket);
    while (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    return decision;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** The rate-limit header fields of draft-ietf-httpapi-ratelimit-headers, plus Retry-After on a refusal. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

/** Everyone whose address is unknown shares this one bucket. */
export const UNKNOWN_CLIENT = "unknown";

/** The header the production server (scripts/next-server.mjs) stamps each request's socket address in. */
export const CLIENT_ADDRESS_HEADER = "x-plenary-client-address";

/**
 * The socket address in the production server's stamp (`<token> <address>`), or null. The
 * server overwrites whatever a client sent under that name, and the token is drawn at start
 * and known only to the server's process, so a stamp without it (a server started some other
 * way, where the header is the client's) names no one.
 */
export function stampedAddress(stamp: string | null, token: string | undefined): string | null {
  if (!stamp || !token) return null;
  const space = stamp.indexOf(" ");
  if (space < 0 || stamp.slice(0, space) !== token) return null;
  return stamp.slice(space + 1).trim() || null;
}

/**
 * Whose bucket a request takes from. X-Forwarded-For is written by whoever sent the request,
 * so it names the client only when a proxy we trust wrote it (PLENARY_TRUST_PROXY), and then
 * only its last hop does: a reverse proxy appends the address it saw to whatever list the
 * client sent (nginx's `$proxy_add_x_forwarded_for`, HAProxy's `option forwardfor` adding a
 * header line of its own, which the fetch API joins after the client's), so every earlier hop
 * is the client's to invent, and believing one would let anyone pick a fresh bucket per
 * request. Otherwise the socket's address (stampedAddress) names the client. A session cookie
 * does not: the proxy cannot check it without a database read, and an unchecked cookie is a
 * fresh bucket per made-up value.
 */
export function clientKey(
  source: { forwardedFor: string | null; socketAddress?: string | null },
  trustProxy: boolean,
): string {
  const last = trustProxy ? source.forwardedFor?.split(",").at(-1)?.trim() : undefined;
  const address = last || source.socketAddress?.trim();
  if (!address) return UNKNOWN_CLIENT;
  // Bounded, and an IPv4 client seen through an IPv6 socket is the same client.
  return address
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "")
    .slice(0, 64);
}

/**
 * Paths the limiter counts: the API and /.well-known. Sign-in (next-auth has its own flows,
 * and a limited sign-in locks people out) and the health check (load balancers poll it) are
 * left alone.
 */
export function isRateLimited(pathname: string): boolean {
  if (pathname === "/api/health" || pathname === "/api/auth" || pathname.startsWith("/api/auth/")) return false;
  return pathname === "/api" || pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");
}
