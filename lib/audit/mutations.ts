// Sequencing queued events (sequencer.ts) in transactions of their own: after a vote
// commits, and on a timer for events whose writer stopped before it could ask.
import { db } from "@/lib/db";
import { lockHead, sequenceQueue } from "./sequencer";

/** Sequence every queue row committed so far, in one transaction; returns how many. */
export async function sequenceQueuedEvents(): Promise<number> {
  return db.$transaction(async (tx) => (await sequenceQueue(tx, await lockHead(tx))).sequenced, { timeout: 60_000 });
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
    void round.finally(() => {
      if (running === round) running = null;
    }).catch(() => undefined);
    return round.then(() => undefined);
  }
  // The running round may have read the queue before the caller's commit: wait for the next.
  next ??= running.catch(() => undefined).then(() => {
    next = null;
    running = null;
    return flushAuditQueue();
  });
  return next;
}
