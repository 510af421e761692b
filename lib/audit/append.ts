// The one writer of audit events. It runs inside the caller's transaction, so a change
// and its event commit or roll back together, and a rolled-back append leaves no gap.
import type { Tx } from "@/lib/db-types";
import { canonicalJson } from "./canonical";
import { auditEventSchema, datapointOf, type AuditEvent, type NewAuditEvent } from "./events";
import { chainHash, leafHash } from "./hash";

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
  const [head] = await tx.$queryRaw<{ last_seq: bigint; chain_hash: Uint8Array }[]>`
    SELECT last_seq, chain_hash FROM audit_head WHERE id = 1 FOR UPDATE`;
  if (!head) throw new Error("audit_head is missing: run the migrations");

  const seq = head.last_seq + 1n;
  const chained = chainHash(head.chain_hash, leaf);
  await tx.$executeRaw`
    WITH head AS (
      UPDATE audit_head SET last_seq = ${seq}, chain_hash = ${chained} WHERE id = 1
    )
    INSERT INTO audit_events (seq, type, body, leaf_hash, chain_hash, datapoint_id)
    VALUES (${seq}, ${event.type}, ${body}, ${leaf}, ${chained}, ${datapointOf(event)}::uuid)`;
  return { seq, event, body, leafHash: leaf, chainHash: chained };
}

/**
 * Take the log's sequencing lock first, for a decision that must see exactly the events up
 * to a seq: no append can commit until the caller does. Returns that last seq.
 */
export async function lockLogHead(tx: Tx): Promise<bigint> {
  const [head] = await tx.$queryRaw<{ last_seq: bigint }[]>`SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE`;
  if (!head) throw new Error("audit_head is missing: run the migrations");
  return head.last_seq;
}
