// The writer of audit events that need their seq at once. It runs inside the caller's
// transaction, so a change and its event commit or roll back together, and a rolled-back
// append leaves no gap. Votes queue theirs instead (sequencer.ts); an append first
// sequences whatever is queued, so the log keeps the order in which changes committed.
import type { Tx } from "@/lib/database/types";
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

/** Rows per INSERT of appendEvents: six parameters a row, under PostgreSQL's 65,535. */
const APPEND_CHUNK = 5_000;

/**
 * Append many events at once, in order, as appendEvent would one by one: for a writer that
 * builds all its rows first and so takes the head lock only at its very end (the import).
 * Bodies and hashes are computed before the lock; under it, one chain pass in memory and one
 * multi-row INSERT per APPEND_CHUNK events, so other writers wait a moment, not the writer's
 * whole run.
 */
export async function appendEvents(tx: Tx, inputs: NewAuditEvent[]): Promise<AppendedEvent[]> {
  if (!inputs.length) return [];
  const prepared = inputs.map((input) => {
    const event = auditEventSchema.parse({ ...input, at: input.at ?? new Date().toISOString() });
    const body = canonicalJson(event);
    return { event, body, leafHash: leafHash(body) };
  });
  const head = await sequenceQueue(tx, await lockHead(tx));
  let seq = head.lastSeq;
  let chained = head.chainHash;
  const appended = prepared.map((p) => {
    seq += 1n;
    chained = chainHash(chained, p.leafHash);
    return { ...p, seq, chainHash: chained };
  });
  for (let i = 0; i < appended.length; i += APPEND_CHUNK) {
    const rows = appended.slice(i, i + APPEND_CHUNK);
    await tx.$executeRaw`
      INSERT INTO audit_events (seq, type, body, leaf_hash, chain_hash, datapoint_id)
      SELECT r.seq::bigint, r.type, r.body, decode(r.leaf, 'hex'), decode(r.chain, 'hex'), r.datapoint::uuid
        FROM unnest(${rows.map((r) => r.seq.toString())}::text[], ${rows.map((r) => r.event.type)}::text[], ${rows.map((r) => r.body)}::text[],
                    ${rows.map((r) => Buffer.from(r.leafHash).toString("hex"))}::text[], ${rows.map((r) => Buffer.from(r.chainHash).toString("hex"))}::text[],
                    ${rows.map((r) => datapointOf(r.event))}::text[]) AS r(seq, type, body, leaf, chain, datapoint)
       ORDER BY r.seq::bigint`;
  }
  await tx.$executeRaw`UPDATE audit_head SET last_seq = ${seq}, chain_hash = ${chained} WHERE id = 1`;
  return appended;
}
