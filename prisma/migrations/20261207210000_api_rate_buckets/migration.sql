-- The API rate limit counted in PostgreSQL, so N app instances allow the configured rate
-- once, not N times (lib/limits/mutations.ts). One row per client: its token bucket, and
-- whether the request that last touched it was allowed.
CREATE TABLE "api_rate_buckets" (
    "client" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "allowed" BOOLEAN NOT NULL,

    CONSTRAINT "api_rate_buckets_pkey" PRIMARY KEY ("client")
);

-- Refilled state, not a record: no WAL for it (a crash empties the table, which hands every
-- client a full bucket), and nothing to replicate. schema.prisma cannot state UNLOGGED.
ALTER TABLE "api_rate_buckets" SET UNLOGGED;

-- Buckets that have refilled completely carry nothing: the sweep (lib/limits/schedule.ts)
-- deletes those not seen for longer than a full refill takes.
CREATE INDEX "api_rate_buckets_at_idx" ON "api_rate_buckets" ("at");

-- One request's worth of a client's bucket, in one statement under the row's lock: a new
-- client starts with a full bucket less this request; a known one is refilled for the time
-- since it was last seen (never negative, capped at the burst), then gives a token if a
-- whole one is there. Time is PostgreSQL's clock, read once (the proposed row's `at`), one
-- clock for every instance. Every SET expression reads the row as it was. The arithmetic is
-- takeToken's (lib/http/rate-limit.ts), which a test holds it to.
CREATE FUNCTION plenary_take_api_token(p_client text, p_burst double precision, p_per_minute double precision,
  OUT allowed boolean, OUT tokens double precision)
  LANGUAGE sql AS $$
  INSERT INTO api_rate_buckets AS b (client, tokens, at, allowed)
  VALUES (p_client, p_burst - 1, clock_timestamp(), p_burst >= 1)
  ON CONFLICT (client) DO UPDATE SET
    allowed = least(p_burst, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.at - b.at)) * p_per_minute / 60) >= 1,
    tokens = least(p_burst, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.at - b.at)) * p_per_minute / 60)
      - CASE WHEN least(p_burst, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.at - b.at)) * p_per_minute / 60) >= 1 THEN 1 ELSE 0 END,
    at = EXCLUDED.at
  RETURNING b.allowed, b.tokens
$$;
