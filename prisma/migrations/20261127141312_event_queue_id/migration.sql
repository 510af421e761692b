-- A vote's rows keep the audit queue id their event was admitted under; the sequencer no
-- longer rewrites them with the seq (a second version of every vote row and of each of its
-- indexes). The event carries the queue id instead, and the seq is found through it.

-- DropIndex
DROP INDEX "vote_history_audit_queue_id_idx";

-- DropIndex
DROP INDEX "votes_audit_queue_id_idx";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "queue_id" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_queue_id_key" ON "audit_events"("queue_id");

-- The seq of the event that recorded a vote row: its audit_seq when the event was appended
-- directly, else the seq of the event admitted under its audit_queue_id (NULL while that
-- event is still queued). A one-line SQL function, so the planner inlines it.
CREATE FUNCTION plenary_event_seq(audit_seq bigint, audit_queue_id bigint) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT COALESCE(audit_seq, (SELECT e.seq FROM audit_events e WHERE e.queue_id = audit_queue_id)) $$;
