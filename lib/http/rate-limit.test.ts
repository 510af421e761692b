import { describe, expect, it } from "vitest";
import {
  RateLimiter,
  UNKNOWN_CLIENT,
  clientKey,
  isRateLimited,
  rateLimitHeaders,
  stampedAddress,
  takeToken,
  type Bucket,
} from "./rate-limit";

const limits = { perMinute: 60, burst: 5 }; // one token a second, five at once

/** Takes `n` tokens at the same instant and returns the last decision. */
function drain(limiter: RateLimiter, client: string, n: number, now: number) {
  let last = limiter.take(client, now);
  for (let i = 1; i < n; i++) last = limiter.take(client, now);
  return last;
}

describe("takeToken", () => {
  it("lets a new client send a whole burst at once, then refuses", () => {
    let bucket: Bucket | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const decision = takeToken(bucket, 1_000, limits);
      allowed.push(decision.allowed);
      bucket = decision.bucket;
    }
    expect(allowed).toEqual([true, true, true, true, true, false, false]);
  });

  it("counts down what remains and when the bucket is whole again", () => {
    const first = takeToken(undefined, 0, limits);
    expect(first).toMatchObject({ allowed: true, limit: 5, remaining: 4, resetSeconds: 1, retryAfterSeconds: 0 });
    const second = takeToken(first.bucket, 0, limits);
    expect(second).toMatchObject({ remaining: 3, resetSeconds: 2 });
  });

  it("refills at the sustained rate, never above the burst", () => {
    const empty: Bucket = { tokens: 0, at: 0 };
    expect(takeToken(empty, 999, limits).allowed).toBe(false);
    expect(takeToken(empty, 1_000, limits)).toMatchObject({ allowed: true, remaining: 0 });
    expect(takeToken(empty, 3_500, limits)).toMatchObject({ allowed: true, remaining: 2 });
    expect(takeToken(empty, 3_600_000, limits)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it("says in Retry-After how long until the next token, at least a second", () => {
    expect(takeToken({ tokens: 0, at: 0 }, 0, limits).retryAfterSeconds).toBe(1);
    expect(takeToken({ tokens: 0.9, at: 0 }, 0, limits).retryAfterSeconds).toBe(1);
    const slow = { perMinute: 6, burst: 2 }; // a token every ten seconds
    expect(takeToken({ tokens: 0, at: 0 }, 0, slow)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 10,
      resetSeconds: 20,
    });
    expect(takeToken({ tokens: 0, at: 0 }, 4_000, slow).retryAfterSeconds).toBe(6);
  });

  it("does not drain a bucket when the clock steps back", () => {
    expect(takeToken({ tokens: 3, at: 10_000 }, 5_000, limits)).toMatchObject({ allowed: true, remaining: 2 });
  });
});

describe("RateLimiter", () => {
  it("keeps one bucket per client", () => {
    const limiter = new RateLimiter(limits);
    expect(drain(limiter, "203.0.113.1", 6, 0).allowed).toBe(false);
    expect(limiter.take("203.0.113.2", 0).allowed).toBe(true);
    expect(limiter.take("203.0.113.1", 1_000).allowed).toBe(true);
  });

  it("forgets the least recently seen client when full", () => {
    const limiter = new RateLimiter(limits, 2);
    drain(limiter, "a", 5, 0);
    drain(limiter, "b", 5, 0);
    limiter.take("a", 0); // a is now the most recent
    limiter.take("c", 0);
    expect(limiter.size).toBe(2);
    expect(limiter.take("a", 0).allowed).toBe(false); // still remembered: still empty
    expect(limiter.take("b", 0).allowed).toBe(true); // forgotten: a fresh bucket
  });
});

describe("rateLimitHeaders", () => {
  it("sends the draft's three fields, and Retry-After only on a refusal", () => {
    expect(rateLimitHeaders(takeToken(undefined, 0, limits))).toEqual({
      "RateLimit-Limit": "5",
      "RateLimit-Remaining": "4",
      "RateLimit-Reset": "1",
    });
    expect(rateLimitHeaders(takeToken({ tokens: 0, at: 0 }, 0, limits))).toEqual({
      "RateLimit-Limit": "5",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "5",
      "Retry-After": "1",
    });
  });
});

describe("clientKey", () => {
  it("believes X-Forwarded-For's last hop, the one the trusted proxy appended, and only behind one", () => {
    // The client sent "198.51.100.7"; the reverse proxy appended the address it saw.
    const forwardedFor = " 198.51.100.7 , 10.0.0.1";
    expect(clientKey({ forwardedFor }, true)).toBe("10.0.0.1");
    // A client that invents a fresh first hop per request still lands in its own bucket.
    expect(clientKey({ forwardedFor: "203.0.113.1, 192.0.2.44" }, true)).toBe(
      clientKey({ forwardedFor: "203.0.113.2, 192.0.2.44" }, true),
    );
    expect(clientKey({ forwardedFor }, false)).toBe(UNKNOWN_CLIENT);
    expect(clientKey({ forwardedFor, socketAddress: "192.0.2.9" }, false)).toBe("192.0.2.9");
    expect(clientKey({ forwardedFor: null }, true)).toBe(UNKNOWN_CLIENT);
    expect(clientKey({ forwardedFor: "", socketAddress: "192.0.2.9" }, true)).toBe("192.0.2.9");
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 client, and bounds the key", () => {
    expect(clientKey({ forwardedFor: "::FFFF:192.0.2.1" }, true)).toBe("192.0.2.1");
    expect(clientKey({ forwardedFor: "2001:DB8::1" }, true)).toBe("2001:db8::1");
    expect(clientKey({ forwardedFor: "x".repeat(500) }, true)).toHaveLength(64);
  });
});

describe("isRateLimited", () => {
  it("counts the API and /.well-known, not sign-in or the health check", () => {
    for (const path of [
      "/api/log/checkpoint",
      "/api/exports/dataset.csv",
      "/api/openapi.json",
      "/.well-known/plenary-checkpoint-key",
      "/api/research/a/b.svg",
    ]) {
      expect(isRateLimited(path), path).toBe(true);
    }
    for (const path of ["/api/health", "/api/auth/session", "/api/auth/demo", "/data", "/developers"]) {
      expect(isRateLimited(path), path).toBe(false);
    }
    expect(isRateLimited("/api/authors")).toBe(true); // only the sign-in folder itself is exempt
  });
});

describe("stampedAddress", () => {
  const token = "a".repeat(48);

  it("reads the production server's stamp only with its token", () => {
    expect(stampedAddress(`${token} 127.0.0.2`, token)).toBe("127.0.0.2");
    expect(stampedAddress(`${token} ::ffff:127.0.0.1`, token)).toBe("::ffff:127.0.0.1");
    // A client's own copy (the server overwrites it, but a server started without the
    // stamping wrapper passes it on): no token, a wrong one, or a prefix of the right one.
    expect(stampedAddress("127.0.0.2", token)).toBeNull();
    expect(stampedAddress(`${"b".repeat(48)} 198.51.100.1`, token)).toBeNull();
    expect(stampedAddress(`${token.slice(0, 10)} 198.51.100.1`, token)).toBeNull();
    expect(stampedAddress(`${token}198.51.100.1`, token)).toBeNull();
    // No token configured: nothing is believed, whatever the header says.
    expect(stampedAddress(`${token} 127.0.0.2`, undefined)).toBeNull();
    expect(stampedAddress(null, token)).toBeNull();
    expect(stampedAddress(`${token} `, token)).toBeNull();
  });

  it("gives two addresses two keys, and a forwarded address none of its own without a trusted proxy", () => {
    const a = clientKey(
      { forwardedFor: "203.0.113.1", socketAddress: stampedAddress(`${token} 127.0.0.1`, token) },
      false,
    );
    const b = clientKey(
      { forwardedFor: "127.0.0.1", socketAddress: stampedAddress(`${token} 127.0.0.2`, token) },
      false,
    );
    expect(a).toBe("127.0.0.1");
    expect(b).toBe("127.0.0.2");
    expect(
      clientKey({ forwardedFor: "203.0.113.1", socketAddress: stampedAddress("forged 198.51.100.1", token) }, false),
    ).toBe(UNKNOWN_CLIENT);
  });
});
