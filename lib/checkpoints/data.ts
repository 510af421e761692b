// Reads of the log's tree and checkpoints. They serve both the signer (the primary, always)
// and the public log API and downloads, which read inside a `readLogAt` scope: from the
// replica when one is configured and holds the position asked for.
import type { Covers } from "@/lib/database/read-routing";
import { reads } from "@/lib/db";

/** Leaves per cached block: complete subtrees of height 8. */
export const BLOCK_HEIGHT = 8;
export const BLOCK_LEAVES = 2 ** BLOCK_HEIGHT;

export type StoredCheckpoint = {
  treeSize: bigint;
  rootHash: Uint8Array;
  timestamp: Date;
  signature: Uint8Array;
  keyId: string;
  note: string;
};

const checkpointFields = {
  treeSize: true,
  rootHash: true,
  timestamp: true,
  signature: true,
  keyId: true,
  note: true,
} as const;

/**
 * Runs `work` (a request of the log API or the downloads) with every read from one source:
 * the read replica if it holds `covers` (the log up to seq, checkpoints up to a tree size)
 * and can serve this client, else the primary. So a release cut at a checkpoint the replica
 * has is read wholly from the replica's state, which holds everything up to that cut.
 */
export function readLogAt<T>(covers: Covers, work: () => Promise<T>): Promise<T> {
  return reads.scope(covers, work);
}

export async function latestCheckpoint(): Promise<StoredCheckpoint | null> {
  return reads.scoped(({ db }) => db.checkpoint.findFirst({ orderBy: { treeSize: "desc" }, select: checkpointFields }));
}

export async function checkpointOfSize(treeSize: bigint): Promise<StoredCheckpoint | null> {
  return reads.scoped(({ db }) => db.checkpoint.findUnique({ where: { treeSize }, select: checkpointFields }));
}

/** Events in the log: the head's last seq, which only ever advances with committed events. */
export async function logSize(): Promise<bigint> {
  const head = await reads.scoped(({ db }) => db.auditHead.findUnique({ where: { id: 1 }, select: { lastSeq: true } }));
  return head?.lastSeq ?? 0n;
}

/** A run of leaf indices [start, end); leaf i is the event with seq i + 1. */
export type LeafSpan = { start: number; end: number };

/** Leaf hashes of the given spans, in order, each span complete or an error. */
export async function readLeafSpans(spans: LeafSpan[]): Promise<Uint8Array[][]> {
  const wanted = spans.filter((s) => s.end > s.start);
  if (wanted.length === 0) return spans.map(() => []);
  const rows = await reads.scoped(({ db }) =>
    db.auditEvent.findMany({
      where: { OR: wanted.map((s) => ({ seq: { gt: BigInt(s.start), lte: BigInt(s.end) } })) },
      orderBy: { seq: "asc" },
      select: { seq: true, leafHash: true },
    }),
  );
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row.leafHash]));
  return spans.map(({ start, end }) =>
    Array.from({ length: end - start }, (_, i) => {
      const leaf = bySeq.get(start + i + 1);
      if (!leaf) throw new Error(`audit event ${start + i + 1} is missing: the log has a gap`);
      return leaf;
    }),
  );
}

/** Cached block hashes for blocks [first, end), by block number (gaps are possible). */
export async function readBlockHashes(first: number, end: number): Promise<Map<number, Uint8Array>> {
  if (end <= first) return new Map();
  const rows = await reads.scoped(({ db }) =>
    db.merkleBlock.findMany({
      where: { block: { gte: BigInt(first), lt: BigInt(end) } },
      select: { block: true, hash: true },
    }),
  );
  return new Map(rows.map((row) => [Number(row.block), row.hash]));
}

/** How many blocks are cached, counting from block 0 (they are filled in order). */
export async function cachedBlockCount(): Promise<number> {
  const last = await reads.scoped(({ db }) =>
    db.merkleBlock.findFirst({ orderBy: { block: "desc" }, select: { block: true } }),
  );
  return last ? Number(last.block) + 1 : 0;
}

/**
 * The leaves of blocks [first, end), each block's 256 hashes concatenated by PostgreSQL, so
 * a million leaves cross the wire as a few thousand rows.
 */
export async function readBlockLeaves(first: number, end: number): Promise<{ block: number; leaves: Uint8Array }[]> {
  const rows = await reads.scoped(
    ({ db }) => db.$queryRaw<{ block: bigint; leaves: Uint8Array }[]>`
    SELECT (seq - 1) / ${BigInt(BLOCK_LEAVES)} AS block, string_agg(leaf_hash, ''::bytea ORDER BY seq) AS leaves
    FROM audit_events
    WHERE seq > ${BigInt(first * BLOCK_LEAVES)} AND seq <= ${BigInt(end * BLOCK_LEAVES)}
    GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((row) => ({ block: Number(row.block), leaves: row.leaves }));
}
