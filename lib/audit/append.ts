// The writer of audit events that need their seq at once. It runs inside the caller's
// transaction, so a change and its event commit or roll back together, and a rolled-back
// append leaves no gap. Votes queue theirs instead (sequencer.ts); an append first
// sequences whatever is queued, so the log keeps the order in which changes committed.
import type { Tx } from "@/lib/db-types";
import { canonicalJson } from "./canonical";
import { auditEventSchema, datapointOf, type AuditEvent, type NewAuditEvent } from "./events";
import { chainHash, leafHash } from "./hash";
import { lockHead, sequenceQueue } from "./sequencer";

export type AppendedEvent = {
  seq: bigint;
  event: AuditEvent;
  body: string;
  leafHash: Uint8Array;
  chainHash: Uint8Array;
};

export async function appendEvent(tx: Tx, input: NewAuditEvent): Promise<AppendedEvent> {
  // An event that does not parse is a programming error: throw, and the caller's
  // transaction (with its change) rolls back.
  const event = auditEventSchema.parse({ ...input, at: input.at ?? new Date().toISOString() });
  const body = canonicalJson(event);
  const leaf = leafHash(body);

  // Locking the head row sequences appends; the lock is held until the caller commits.
  const head = await sequenceQueue(tx, await lockHead(tx));

  const seq = head.lastSeq + 1n;
  const chained = chainHash(head.chainHash, leaf);
  await tx.$executeRaw`
    WITH head AS (
      UPDATE audit_head SET last_seq = ${seq}, chain_hash = ${chained} WHERE id = 1
    )
    INSERT INTO audit_events (seq, type, body, leaf_hash, chain_hash, datapoint_id)
    VALUES (${seq}, ${event.type}, ${body}, ${leaf}, ${chained}, ${datapointOf(event)}::uuid)`;
  return { seq, event, body, leafHash: leaf, chainHash: chained };
}

/**
 * Take the log's sequencing lock, for a decision that must see exactly the events up to a
 * seq: no append can commit until the caller does. Queued events committed so far are
 * sequenced first; returns the last seq. Calling it again in the same transaction sequences
 * what was committed in between (events the caller waited for with a row lock).
 */
export async function lockLogHead(tx: Tx): Promise<bigint> {
  return (await sequenceQueue(tx, await lockHead(tx))).lastSeq;
}
