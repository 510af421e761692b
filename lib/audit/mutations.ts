// Sequencing queued events (sequencer.ts) in transactions of their own: after a vote
// commits, and on a timer for events whose writer stopped before it could ask. This runs
// once per batch of votes, on a connection of its own (lib/db.ts: sequencerPool), and sends
// its statements together: two round trips for a batch.
import { sequencerPool } from "@/lib/db";
import { planSequencing, QUEUE_HEAD_SQL, SEQUENCE_BATCH, type Head } from "./sequencer";

type Row = Record<string, string>;
const LOCK_HEAD_SQL = `SELECT last_seq::text AS last_seq, encode(chain_hash, 'hex') AS chain FROM audit_head WHERE id = 1 FOR UPDATE`;

/** What this process's sequencing rounds did: for the benchmarks' measure of its ceiling. */
export const sequencerStats = { rounds: 0, events: 0, busyMs: 0 };

/** Sequence every queue row committed so far, in one transaction; returns how many. */
export async function sequenceQueuedEvents(): Promise<number> {
  const started = performance.now();
  const sequenced = await sequenceQueuedEventsOnce();
  sequencerStats.rounds += 1;
  sequencerStats.events += sequenced;
  sequencerStats.busyMs += performance.now() - started;
  return sequenced;
}

async function sequenceQueuedEventsOnce(): Promise<number> {
  const client = await sequencerPool.connect();
  let broken = false;
  try {
    // BEGIN, lock the head, read the queue's oldest rows: one round trip.
    const opened = (await client.query(`BEGIN; ${LOCK_HEAD_SQL}; ${QUEUE_HEAD_SQL}`)) as unknown as { rows: Row[] }[];
    const locked = opened[1]!.rows[0];
    if (!locked) throw new Error("audit_head is missing: run the migrations");
    let head: Head = { lastSeq: BigInt(locked.last_seq!), chainHash: Buffer.from(locked.chain!, "hex") };
    let rows = opened[2]!.rows as { id: string; leaf: string }[];
    let sequenced = 0;
    for (;;) {
      if (rows.length === 0) break;
      const plan = planSequencing(head, rows);
      head = plan.head;
      sequenced += rows.length;
      if (rows.length < SEQUENCE_BATCH) {
        // Log the batch, move the head and commit: the second round trip.
        await client.query(`${plan.statements.join(";\n")};\nCOMMIT`);
        return sequenced;
      }
      const more = (await client.query(`${plan.statements.join(";\n")};\n${QUEUE_HEAD_SQL}`)) as unknown as {
        rows: Row[];
      }[];
      rows = more[more.length - 1]!.rows as { id: string; leaf: string }[];
    }
    await client.query("COMMIT");
    return sequenced;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

let running: Promise<unknown> | null = null;
let next: Promise<void> | null = null;

/**
 * Resolve once every event committed before the call is in the log. Concurrent callers
 * share transactions (group commit): while one sequencing round runs, everyone who arrives
 * waits for the single round that starts after it, which takes all their events at once.
 */
export function flushAuditQueue(): Promise<void> {
  if (!running) {
    const round = sequenceQueuedEvents();
    running = round;
    void round
      .finally(() => {
        if (running === round) running = null;
      })
      .catch(() => undefined);
    return round.then(() => undefined);
  }
  // The running round may have read the queue before the caller's commit: wait for the next.
  next ??= running
    .catch(() => undefined)
    .then(() => {
      next = null;
      running = null;
      return flushAuditQueue();
    });
  return next;
}
