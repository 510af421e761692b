// The API's rate-limit buckets in PostgreSQL, shared by every app instance (see
// lib/http/rate-limit.ts for the bucket rule and migration `…_api_rate_buckets` for the SQL).
import { pool } from "@/lib/db";
import { rateDecision, fullRefillSeconds, type RateDecision, type RateLimits } from "@/lib/http/rate-limit";

/** One request's token from `client`'s shared bucket: one statement, under the bucket row's lock. */
export async function takeSharedToken(client: string, limits: RateLimits): Promise<RateDecision> {
  const { rows } = await pool.query<{ allowed: boolean; tokens: number }>(
    "SELECT allowed, tokens FROM plenary_take_api_token($1, $2, $3)",
    [client, limits.burst, limits.perMinute],
  );
  const row = rows[0]!;
  return rateDecision(row.allowed, Number(row.tokens), Date.now(), limits);
}

/** Forgets buckets that have refilled completely (not seen for longer than a full refill); returns how many. */
export async function sweepSharedBuckets(limits: RateLimits): Promise<number> {
  const { rowCount } = await pool.query(
    "DELETE FROM api_rate_buckets WHERE at < clock_timestamp() - make_interval(secs => $1)",
    [fullRefillSeconds(limits)],
  );
  return rowCount ?? 0;
}
