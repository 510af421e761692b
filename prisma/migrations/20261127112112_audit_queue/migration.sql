-- AlterTable
ALTER TABLE "vote_history" ADD COLUMN     "audit_queue_id" BIGINT,
ALTER COLUMN "audit_seq" DROP NOT NULL;

-- AlterTable
ALTER TABLE "votes" ADD COLUMN     "audit_queue_id" BIGINT,
ALTER COLUMN "audit_seq" DROP NOT NULL;

-- CreateTable
CREATE TABLE "audit_queue" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "datapoint_id" UUID,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_queue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "vote_history_audit_queue_id_idx" ON "vote_history"("audit_queue_id");

-- CreateIndex
CREATE INDEX "votes_audit_queue_id_idx" ON "votes"("audit_queue_id");

-- A queued event is hashed exactly as it will be logged; a vote always points at its event,
-- by seq once sequenced or by queue id until then.
ALTER TABLE "audit_queue" ADD CONSTRAINT "audit_queue_hash_size" CHECK (octet_length("leaf_hash") = 32);
ALTER TABLE "votes" ADD CONSTRAINT "votes_event_known" CHECK ("audit_seq" IS NOT NULL OR "audit_queue_id" IS NOT NULL);
ALTER TABLE "vote_history" ADD CONSTRAINT "vote_history_event_known" CHECK ("audit_seq" IS NOT NULL OR "audit_queue_id" IS NOT NULL);

-- Queued events are inserted and, once sequenced, deleted; never changed.
CREATE TRIGGER audit_queue_no_update
  BEFORE UPDATE ON "audit_queue"
  FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change();
CREATE TRIGGER audit_queue_no_truncate
  BEFORE TRUNCATE ON "audit_queue"
  FOR EACH STATEMENT EXECUTE FUNCTION plenary_refuse_change();

-- The head still only moves forward and never past a missing event: one step at a time as
-- before, or several at once when every event it passes is already in the log and the last
-- of them carries the new chain hash (the sequencer appends a whole queue batch at once).
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
