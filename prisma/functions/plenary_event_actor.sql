-- plenary_event_actor: the live definition, as migration 20261207160000_audit_events_actor_index applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_event_actor(body text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT substring(body FROM '"actorId":"([0-9a-f-]{36})"') $$;
