// The API's shared token buckets: the SQL function takes tokens exactly as the pure rule
// does, concurrent requests (as from several instances) never take more than the bucket
// holds, and the sweep forgets only buckets that have refilled.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { takeToken, type Bucket } from "@/lib/http/rate-limit";
import { sweepSharedBuckets, takeSharedToken } from "./mutations";

const client = () => `test-${randomUUID()}`;

describe("shared rate-limit buckets", () => {
  it("allow the burst, then refuse, with the pure rule's figures", async () => {
    const limits = { perMinute: 1, burst: 3 };
    const who = client();
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await takeSharedToken(who, limits));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
    // The pure rule over the same requests (a minute refills one token; these take milliseconds).
    let bucket: Bucket | undefined;
    const now = Date.now();
    const pure = [0, 1, 2, 3, 4].map((i) => {
      const d = takeToken(bucket, now + i, limits);
      bucket = d.bucket;
      return d;
    });
    expect(decisions.map((d) => [d.allowed, d.remaining, d.retryAfterSeconds])).toEqual(
      pure.map((d) => [d.allowed, d.remaining, d.retryAfterSeconds]),
    );
    // Another client has its own bucket.
    expect((await takeSharedToken(client(), limits)).allowed).toBe(true);
  });

  it("refill with PostgreSQL's clock, capped at the burst", async () => {
    const limits = { perMinute: 60, burst: 2 };
    const who = client();
    await takeSharedToken(who, limits);
    await takeSharedToken(who, limits);
    expect((await takeSharedToken(who, limits)).allowed).toBe(false);
    // Pretend the bucket was last seen an hour ago: it is full again, not 3,600 tokens.
    await pool.query("UPDATE api_rate_buckets SET at = at - interval '1 hour' WHERE client = $1", [who]);
    const rested = await takeSharedToken(who, limits);
    expect(rested).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("give concurrent requests no more tokens than the bucket holds", async () => {
    const limits = { perMinute: 1, burst: 10 };
    const who = client();
    const decisions = await Promise.all(Array.from({ length: 40 }, () => takeSharedToken(who, limits)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it("sweep only the buckets that have refilled completely", async () => {
    const limits = { perMinute: 60, burst: 30 }; // a full refill takes 30 s
    const [old, recent] = [client(), client()];
    await takeSharedToken(old, limits);
    await takeSharedToken(recent, limits);
    await pool.query("UPDATE api_rate_buckets SET at = at - interval '31 seconds' WHERE client = $1", [old]);
    expect(await sweepSharedBuckets(limits)).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{ client: string }>(
      "SELECT client FROM api_rate_buckets WHERE client = ANY($1)",
      [[old, recent]],
    );
    expect(rows.map((r) => r.client)).toEqual([recent]);
  });
});
