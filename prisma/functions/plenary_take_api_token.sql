-- plenary_take_api_token: the live definition, as migration 20261207210000_api_rate_buckets applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
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
