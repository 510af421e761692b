import { db } from "@/lib/db";
import { ChainVerifier, type StoredEvent, type VerifyResult } from "./verify";

const PAGE = 5_000;

/** Stored events in seq order, from `afterSeq` (exclusive), at most `limit`. */
export async function readEvents(afterSeq = 0n, limit = PAGE): Promise<StoredEvent[]> {
  const rows = await db.auditEvent.findMany({
    where: { seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { seq: true, type: true, body: true, leafHash: true, chainHash: true },
  });
  return rows;
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
