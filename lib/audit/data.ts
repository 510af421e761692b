import { reads } from "@/lib/db";
import { ChainVerifier, type StoredEvent, type VerifyResult } from "./verify";

const PAGE = 5_000;

/** Stored events in seq order, from `afterSeq` (exclusive), at most `limit` (the primary's, outside a log API scope). */
export async function readEvents(afterSeq = 0n, limit = PAGE): Promise<StoredEvent[]> {
  return reads.scoped(({ db }) =>
    db.auditEvent.findMany({
      where: { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: limit,
      select: { seq: true, type: true, body: true, leafHash: true, chainHash: true },
    }),
  );
}

/**
 * The seq of each vote row's event, given the row's auditSeq and auditQueueId (see the Vote
 * model): the seq itself, or that of the event admitted under the queue id, or null while it
 * is still queued.
 */
export async function eventSeqs<T extends { auditSeq: bigint | null; auditQueueId: bigint | null }>(
  rows: T[],
): Promise<(T & { seq: bigint | null })[]> {
  const queued = rows.flatMap((r) => (r.auditSeq === null && r.auditQueueId !== null ? [r.auditQueueId] : []));
  const logged =
    queued.length === 0
      ? []
      : await reads.page((db) =>
          db.auditEvent.findMany({ where: { queueId: { in: queued } }, select: { seq: true, queueId: true } }),
        );
  const byQueueId = new Map(logged.map((e) => [e.queueId!, e.seq]));
  return rows.map((r) => ({
    ...r,
    seq: r.auditSeq ?? (r.auditQueueId === null ? null : (byQueueId.get(r.auditQueueId) ?? null)),
  }));
}

/** Verify the whole stored log page by page (constant memory). */
export async function verifyStoredLog(): Promise<VerifyResult> {
  const verifier = new ChainVerifier();
  let after = 0n;
  for (;;) {
    const page = await readEvents(after);
    for (const event of page) verifier.push(event);
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  return verifier.result();
}
