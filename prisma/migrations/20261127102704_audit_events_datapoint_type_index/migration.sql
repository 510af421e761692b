-- CreateIndex
CREATE INDEX "audit_events_datapoint_id_type_seq_idx" ON "audit_events"("datapoint_id", "type", "seq");
