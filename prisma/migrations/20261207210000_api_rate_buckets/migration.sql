-- The API rate limit counted in PostgreSQL, so N app instances allow the configured rate
-- once, not N times (lib/limits/mutations.ts). One row per client: its token bucket.
CREATE TABLE "api_rate_buckets" (
    "client" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "api_rate_buckets_pkey" PRIMARY KEY ("client")
);

-- Refilled state, not a record: no WAL for it (a crash empties the table, which hands every
-- client a full bucket), and nothing to replicate. schema.prisma cannot state UNLOGGED.
ALTER TABLE "api_rate_buckets" SET UNLOGGED;

-- One request's worth of a client's bucket, in one statement under the row's lock: refill for
-- the time since the bucket was last seen (never negative, capped at the burst), then take a
-- token if a whole one is there. Time is PostgreSQL's clock, one clock for every instance.
-- The arithmetic is takeToken's (lib/http/rate-limit.ts), which the tests hold it to.
CREATE FUNCTION plenary_take_api_token(p_client text, p_burst double precision, p_per_minute double precision,
  OUT allowed boolean, OUT tokens double precision)
  LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := clock_timestamp();
  v_per_second double precision := p_per_minute / 60.0;
  v_refilled double precision;
BEGIN
  SELECT least(p_burst, b.tokens + greatest(0, extract(epoch FROM v_now - b.at)) * v_per_second)
    INTO v_refilled FROM api_rate_buckets b WHERE b.client = p_client FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO api_rate_buckets AS b (client, tokens, at) VALUES (p_client, p_burst - 1, v_now)
      ON CONFLICT (client) DO NOTHING;
    IF FOUND THEN
      allowed := p_burst >= 1;
      tokens := p_burst - 1;
      RETURN;
    END IF;
    -- Another request created the row meanwhile: take from it as from any existing bucket.
    SELECT least(p_burst, b.tokens + greatest(0, extract(epoch FROM v_now - b.at)) * v_per_second)
      INTO v_refilled FROM api_rate_buckets b WHERE b.client = p_client FOR UPDATE;
  END IF;
  allowed := v_refilled >= 1;
  tokens := CASE WHEN allowed THEN v_refilled - 1 ELSE v_refilled END;
  UPDATE api_rate_buckets b SET tokens = plenary_take_api_token.tokens, at = v_now WHERE b.client = p_client;
END $$;

-- Buckets that have refilled completely carry nothing: the sweep (lib/limits/schedule.ts)
-- deletes those not seen for longer than a full refill takes.
CREATE INDEX "api_rate_buckets_at_idx" ON "api_rate_buckets" ("at");
