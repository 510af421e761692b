// The audit queue: how a busy mutation records its event without waiting for the log.
//
// appendEvent gives an event its seq at once, under the head's row lock, which its
// transaction then holds until it commits: every such commit waits for the one before, so
// the log appends at one rate however many connections write (BENCHMARKS.md §5).
// Votes are the one mutation that comes in floods, so castVote enqueues instead: its
// transaction writes the change and the event's final bytes (canonical body and leaf hash)
// to audit_queue, takes no global lock, and commits alongside every other voter. The
// sequencer then moves committed queue rows into audit_events, many per transaction, as a
// Certificate Transparency log integrates its queued entries: one head lock, one chain pass
// and one commit for the batch.
//
// Order: a queue row's id is drawn when the row is inserted, the last write of its
// transaction (after the row locks it waited for), and the sequencer takes committed rows in
// id order. So an event whose change depended on another committed change is always logged
// after it. Anyone who takes the head lock (appendEvent, lockLogHead) first sequences what
// is queued, so no event is ever logged before one that committed earlier and that it could
// have seen.
import type { Tx } from "@/lib/database/types";
import { canonicalJson } from "./canonical";
import { auditEventSchema, datapointOf, type AuditEvent, type NewAuditEvent } from "./events";
import { chainHash, leafHash } from "./hash";
import { SHA256_HEX } from "@/lib/domain/schema";

export type QueuedEvent = { queueId: bigint; event: AuditEvent; body: string; leafHash: Uint8Array };

/** Rows sequenced per statement round; a backlog is taken in several rounds. */
export const SEQUENCE_BATCH = 5_000;

/**
 * An event as the queue stores it: parsed by the event schema (an event that does not parse
 * is a programming error and throws, rolling back the caller), canonical body, leaf hash.
 * For a writer that inserts the audit_queue row in a statement of its own (castVote).
 */
export function prepareEvent(input: NewAuditEvent): Omit<QueuedEvent, "queueId"> & { datapointId: string | null } {
  const event = auditEventSchema.parse({ ...input, at: input.at ?? new Date().toISOString() });
  const body = canonicalJson(event);
  return { event, body, leafHash: leafHash(body), datapointId: datapointOf(event) };
}

/** Write the event to the queue inside the caller's transaction (no global lock taken). */
export async function enqueueEvent(tx: Tx, input: NewAuditEvent): Promise<QueuedEvent> {
  const { event, body, leafHash: leaf, datapointId } = prepareEvent(input);
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_queue (type, body, leaf_hash, datapoint_id)
    VALUES (${event.type}, ${body}, ${leaf}, ${datapointId}::uuid) RETURNING id`;
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

/** The statements that log one batch of queue rows after `head`, and the head they leave. */
export type SequencingPlan = { statements: string[]; head: Head };

/**
 * Plan the logging of `rows` (the oldest queue rows, in id order) after `head`: chain them,
 * then one statement that logs them (each event keeping its queue id, by which the vote
 * rows it recorded point at it: they are written once and never touched here) and empties
 * the queue of them, and one that moves the head (last, so its trigger sees every event it
 * passes). Values are inlined: they are digits and hex made here, so
 * the statements can go to PostgreSQL together in one round trip.
 */
export function planSequencing(head: Head, rows: { id: bigint | string; leaf: string }[]): SequencingPlan {
  const ids: string[] = [];
  const seqs: string[] = [];
  const chains: string[] = [];
  let seq = head.lastSeq;
  let chain = head.chainHash;
  for (const row of rows) {
    const id = String(row.id);
    if (!/^\d+$/.test(id) || !SHA256_HEX.test(row.leaf)) throw new Error(`audit_queue row ${id} is malformed`);
    seq += 1n;
    chain = chainHash(chain, Buffer.from(row.leaf, "hex"));
    ids.push(id);
    seqs.push(seq.toString());
    chains.push(Buffer.from(chain).toString("hex"));
  }
  const log = `WITH batch AS (
      SELECT * FROM unnest('{${ids.join(",")}}'::bigint[], '{${seqs.join(",")}}'::bigint[], '{${chains.join(",")}}'::text[]) AS b(id, seq, chain)
    ), logged AS (
      INSERT INTO audit_events (seq, type, body, leaf_hash, chain_hash, datapoint_id, queue_id)
      SELECT b.seq, q.type, q.body, q.leaf_hash, decode(b.chain, 'hex'), q.datapoint_id, q.id
        FROM batch b JOIN audit_queue q ON q.id = b.id ORDER BY b.seq
    )
    DELETE FROM audit_queue q USING batch b WHERE q.id = b.id`;
  const moveHead = `UPDATE audit_head SET last_seq = ${seq}, chain_hash = decode('${Buffer.from(chain).toString("hex")}', 'hex') WHERE id = 1`;
  return { statements: [log, moveHead], head: { lastSeq: seq, chainHash: chain } };
}

/** The oldest queue rows, at most SEQUENCE_BATCH, as planSequencing takes them. */
export const QUEUE_HEAD_SQL = `SELECT q.id::text AS id, encode(q.leaf_hash, 'hex') AS leaf FROM audit_queue q ORDER BY q.id LIMIT ${SEQUENCE_BATCH}`;

/**
 * Move every committed queue row into the log, in id order. The caller holds the head lock
 * (lockHead) and passes the head it read; returns the new head. Rows committed while this
 * runs wait for the next call.
 */
export async function sequenceQueue(tx: Tx, head: Head): Promise<Head & { sequenced: number }> {
  return sequenceQueueWith((sql) => tx.$queryRawUnsafe<unknown[]>(sql), head);
}

/**
 * sequenceQueue over any way of running SQL in the transaction that holds the head lock
 * (a Prisma transaction, or a node-postgres client in the bulk seed).
 */
export async function sequenceQueueWith(
  run: (sql: string) => Promise<unknown[]>,
  head: Head,
): Promise<Head & { sequenced: number }> {
  let current = head;
  let sequenced = 0;
  for (;;) {
    const rows = (await run(QUEUE_HEAD_SQL)) as { id: string; leaf: string }[];
    if (rows.length === 0) return { ...current, sequenced };
    const plan = planSequencing(current, rows);
    for (const statement of plan.statements) await run(statement);
    current = plan.head;
    sequenced += rows.length;
    if (rows.length < SEQUENCE_BATCH) return { ...current, sequenced };
  }
}
