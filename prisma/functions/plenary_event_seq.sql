-- plenary_event_seq: the live definition, as migration 20261127141312_event_queue_id applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_event_seq(audit_seq bigint, audit_queue_id bigint) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT COALESCE(audit_seq, (SELECT e.seq FROM audit_events e WHERE e.queue_id = audit_queue_id)) $$;
