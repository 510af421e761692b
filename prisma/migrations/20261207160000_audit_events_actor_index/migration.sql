-- The events of one actor (the /audit page's actor filter, a person's history): an index on the
-- body's actorId, so the filter reads that actor's events instead of parsing every body in the
-- log (seconds at a million events). An expression index, which schema.prisma cannot state,
-- like the search trigger's objects: hand-written, in its own folder.
CREATE INDEX "audit_events_actor_seq_idx" ON "audit_events" (((body::jsonb ->> 'actorId')), "seq");
