-- The events of one actor (the /audit page's actor filter, a person's history): an index on the
-- body's actorId, so the filter reads that actor's events instead of parsing every body in the
-- log (seconds at a million events). The actor is read from the canonical text with a pattern,
-- not through jsonb: a body jsonb cannot hold (a string with \u0000) must still be appendable,
-- and an index expression that failed would refuse the append. In canonical JSON the text
-- "actorId":" occurs only as the key itself (a quote inside a string value is escaped).
-- An expression index, which schema.prisma cannot state: hand-written, in its own folder.
CREATE FUNCTION plenary_event_actor(body text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT substring(body FROM '"actorId":"([0-9a-f-]{36})"') $$;

CREATE INDEX "audit_events_actor_seq_idx" ON "audit_events" (plenary_event_actor(body), "seq");
