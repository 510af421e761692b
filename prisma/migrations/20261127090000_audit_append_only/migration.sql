-- The audit log is append-only in the database itself: whatever the application does,
-- PostgreSQL refuses to change or remove an audit event or a checkpoint.
CREATE FUNCTION plenary_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION plenary_refuse_change();

CREATE TRIGGER checkpoints_append_only
  BEFORE UPDATE OR DELETE ON "checkpoints"
  FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change();
CREATE TRIGGER checkpoints_no_truncate
  BEFORE TRUNCATE ON "checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION plenary_refuse_change();

-- Hashes are SHA-256 digests.
ALTER TABLE "audit_events"
  ADD CONSTRAINT "audit_events_hash_sizes" CHECK (octet_length("leaf_hash") = 32 AND octet_length("chain_hash") = 32),
  ADD CONSTRAINT "audit_events_seq_positive" CHECK ("seq" >= 1);

-- The head that sequences appends: exactly one row, which only ever moves one step forward.
ALTER TABLE "audit_head"
  ADD CONSTRAINT "audit_head_single_row" CHECK ("id" = 1),
  ADD CONSTRAINT "audit_head_hash_size" CHECK (octet_length("chain_hash") = 32);
INSERT INTO "audit_head" ("id", "last_seq", "chain_hash") VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION plenary_audit_head_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW."id" <> OLD."id" OR NEW."last_seq" <> OLD."last_seq" + 1 THEN
    RAISE EXCEPTION 'audit_head only advances one event at a time'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_advances
  BEFORE UPDATE OR DELETE ON "audit_head"
  FOR EACH ROW EXECUTE FUNCTION plenary_audit_head_step();
CREATE TRIGGER audit_head_no_truncate
  BEFORE TRUNCATE ON "audit_head"
  FOR EACH STATEMENT EXECUTE FUNCTION plenary_refuse_change();

-- A flag concerns exactly one thing: a comment or a datapoint.
ALTER TABLE "flags"
  ADD CONSTRAINT "flags_one_target" CHECK (("comment_id" IS NULL) <> ("datapoint_id" IS NULL));
