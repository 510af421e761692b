-- plenary_refuse_change: the live definition, as migration 20261127090000_audit_append_only applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
