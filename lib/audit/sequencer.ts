// The audit queue: how a busy mutation records its event without waiting for the log.
//
// appendEvent gives an event its seq at once, under the head's row lock, which its
// transaction then holds until it commits: every such commit waits for the one before, so
// the log takes about a thousand appends a second however many connections write. Votes are
// the one mutation that comes in floods, so castVote enqueues instead: its transaction writes
// the change and the event's final bytes (canonical body and leaf hash) to audit_queue, takes
// no global lock, and commits alongside every other voter. The sequencer then moves committed
// queue rows into audit_events, many per transaction, as a Certificate Transparency log
// integrates its queued entries: one head lock, one chain pass and one commit for the batch.
//
// Order: a queue row's id is drawn when the row is inserted, the last write of its
// transaction (after the row locks it waited for), and the sequencer takes committed rows in
// id order. So an event whose change depended on another committed change is always logged
// after it. Anyone who takes the head lock (appendEvent, lockLogHead) first sequences what
// is queued, so no event is ever logged before one that committed earlier and that it could
// have seen.
import type { Tx } from "@/lib/db-types";
import { canonicalJson } from "./canonical";
import { auditEventSchema, datapointOf, type AuditEvent, type NewAuditEvent } from "./events";
import { chainHash, leafHash } from "./hash";

export type QueuedEvent = { queueId: bigint; event: AuditEvent; body: string; leafHash: Uint8Array };

/** Rows sequenced per statement round; a backlog is taken in several rounds. */
export const SEQUENCE_BATCH = 5_000;

/**
 * Tables whose rows record the seq of the event that wrote them. While that event is queued
 * they carry its queue id instead; the sequencer swaps in the seq.
 */
const SEQ_OWNERS = ["votes", "vote_history"] as const;

/** Write the event to the queue inside the caller's transaction (no global lock taken). */
export async function enqueueEvent(tx: Tx, input: NewAuditEvent): Promise<QueuedEvent> {
  const event = auditEventSchema.parse({ ...input, at: input.at ?? new Date().toISOString() });
  const body = canonicalJson(event);
  const leaf = leafHash(body);
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_queue (type, body, leaf_hash, datapoint_id)
    VALUES (${event.type}, ${body}, ${leaf}, ${datapointOf(event)}::uuid) RETURNING id`;
  return { queueId: row!.id, event, body, leafHash: leaf };
}

export type Head = { lastSeq: bigint; chainHash: Uint8Array };

/** Lock the head row until the caller's transaction ends. */
export async function lockHead(tx: Tx): Promise<Head> {
  const [head] = await tx.$queryRaw<{ last_seq: bigint; chain_hash: Uint8Array }[]>`
    SELECT last_seq, chain_hash FROM audit_head WHERE id = 1 FOR UPDATE`;
  if (!head) throw new Error("audit_head is missing: run the migrations");
  return { lastSeq: head.last_seq, chainHash: head.chain_hash };
}

/**
 * Move every committed queue row into the log, in id order. The caller holds the head lock
 * (lockHead) and passes the head it read; returns the new head. Rows committed while this
 * runs wait for the next call.
 */
export async function sequenceQueue(tx: Tx, head: Head): Promise<Head & { sequenced: number }> {
  let current = head;
  let sequenced = 0;
  for (;;) {
    const rows = await tx.$queryRaw<{ id: bigint; leaf: string }[]>`
      SELECT id, encode(leaf_hash, 'hex') AS leaf FROM audit_queue ORDER BY id LIMIT ${SEQUENCE_BATCH}`;
    if (rows.length === 0) return { ...current, sequenced };
    const ids: string[] = [];
    const seqs: string[] = [];
    const chains: string[] = [];
    let seq = current.lastSeq;
    let chain = current.chainHash;
    for (const row of rows) {
      seq += 1n;
      chain = chainHash(chain, Buffer.from(row.leaf, "hex"));
      ids.push(row.id.toString());
      seqs.push(seq.toString());
      chains.push(Buffer.from(chain).toString("hex"));
    }
    // Log the batch, then point the rows that were waiting for it at their seqs and empty
    // the queue of it; the head moves last, so its trigger sees every event it passes.
    await tx.$executeRawUnsafe(
      `WITH batch AS (
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS b(id, seq, chain)
       ), logged AS (
         INSERT INTO audit_events (seq, type, body, leaf_hash, chain_hash, datapoint_id)
         SELECT b.seq, q.type, q.body, q.leaf_hash, decode(b.chain, 'hex'), q.datapoint_id
           FROM batch b JOIN audit_queue q ON q.id = b.id ORDER BY b.seq
       ), ${SEQ_OWNERS.map(
         (table) => `${table}_done AS (
         UPDATE ${table} t SET audit_seq = b.seq, audit_queue_id = NULL FROM batch b WHERE t.audit_queue_id = b.id
       )`,
       ).join(", ")}
       DELETE FROM audit_queue q USING batch b WHERE q.id = b.id`,
      ids,
      seqs,
      chains,
    );
    await tx.$executeRaw`UPDATE audit_head SET last_seq = ${seq}, chain_hash = ${chain} WHERE id = 1`;
    current = { lastSeq: seq, chainHash: chain };
    sequenced += rows.length;
    if (rows.length < SEQUENCE_BATCH) return { ...current, sequenced };
  }
}
