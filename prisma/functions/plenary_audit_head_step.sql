-- plenary_audit_head_step: the live definition, as migration 20261127112112_audit_queue applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE OR REPLACE FUNCTION plenary_audit_head_step() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  steps bigint;
  present bigint;
  tip bytea;
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW."id" <> OLD."id" OR NEW."last_seq" <= OLD."last_seq" THEN
    RAISE EXCEPTION 'audit_head only advances one event at a time'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  steps := NEW."last_seq" - OLD."last_seq";
  IF steps > 1 THEN
    SELECT count(*) INTO present FROM "audit_events" WHERE "seq" > OLD."last_seq" AND "seq" <= NEW."last_seq";
    SELECT "chain_hash" INTO tip FROM "audit_events" WHERE "seq" = NEW."last_seq";
    IF present <> steps OR tip IS DISTINCT FROM NEW."chain_hash" THEN
      RAISE EXCEPTION 'audit_head only advances one event at a time, or past events already in the log'
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
