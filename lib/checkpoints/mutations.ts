// Signing checkpoints. A checkpoint is a statement about the audit log, not a change to the
// domain, so it appends no audit event (an event per checkpoint would grow the tree it signs).
// Safe to run in several processes at once: block hashes and checkpoints are written with
// ON CONFLICT DO NOTHING, and both are the same whoever computes them.
import { verifyConsistency } from "@/lib/audit/merkle";
import { toHex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import {
  BLOCK_LEAVES,
  cachedBlockCount,
  checkpointOfSize,
  latestCheckpoint,
  logSize,
  readBlockLeaves,
  type StoredCheckpoint,
} from "./data";
import { signCheckpoint } from "./format";
import type { NoteSigner } from "./note";
import { configuredSigner } from "./signer";
import { consistencyProofOf, leafCount, subtreeOf, treeRoot } from "./tree";

export type CheckpointOutcome =
  | { created: true; checkpoint: StoredCheckpoint }
  | { created: false; reason: "EMPTY_LOG" | "UP_TO_DATE"; checkpoint: StoredCheckpoint | null };

/** Blocks hashed per query while filling the cache: 16,384 leaves, half a megabyte. */
const FILL_BATCH = 64;

/**
 * Signs the whole log as it stands, unless the latest checkpoint already covers it.
 * `signer` and `now` are for tests; the app signs with the configured key.
 */
export async function createCheckpoint(options: { signer?: NoteSigner; now?: Date } = {}): Promise<CheckpointOutcome> {
  const signer = options.signer ?? configuredSigner();
  const [treeSize, latest] = await Promise.all([logSize(), latestCheckpoint()]);
  if (treeSize === 0n) return { created: false, reason: "EMPTY_LOG", checkpoint: null };
  if (latest && latest.treeSize >= treeSize) return { created: false, reason: "UP_TO_DATE", checkpoint: latest };

  const size = leafCount(treeSize);
  await fillBlockCache(size);
  const rootHash = await treeRoot(size);
  if (latest) await refuseFork(latest, size, rootHash);

  // Never earlier than the checkpoint before it, even if clocks of two app servers disagree.
  const now = options.now ?? new Date();
  const timestamp = latest && latest.timestamp > now ? latest.timestamp : now;
  const { note, keyId, signature } = signCheckpoint({ treeSize, rootHash, timestamp }, signer);
  const { count } = await db.checkpoint.createMany({
    data: [{ treeSize, rootHash, timestamp, signature, keyId: toHex(keyId), note }],
    skipDuplicates: true,
  });
  const stored = await checkpointOfSize(treeSize);
  if (!stored) throw new Error(`checkpoint of size ${treeSize} vanished after it was written`);
  return count === 1
    ? { created: true, checkpoint: stored }
    : { created: false, reason: "UP_TO_DATE", checkpoint: stored };
}

/**
 * The log must never sign a tree that does not extend what it signed before
 * (c2sp.org/tlog-checkpoint). A stored event altered behind the triggers' back shows up here
 * as a failed consistency proof, and signing stops instead of hiding the change.
 */
async function refuseFork(latest: StoredCheckpoint, size: number, rootHash: Uint8Array): Promise<void> {
  const first = leafCount(latest.treeSize);
  const proof = await consistencyProofOf(first, size);
  const verdict = verifyConsistency({ first, second: size, firstRoot: latest.rootHash, secondRoot: rootHash, proof });
  if (!verdict.ok) {
    throw new Error(
      `Refusing to sign the audit log at size ${size}: it does not extend the checkpoint of size ${first} (${verdict.reason}). Run the log verifier.`,
    );
  }
}

/** Hashes every complete 256-leaf block below `size` that is not cached yet. */
async function fillBlockCache(size: number): Promise<number> {
  const want = Math.floor(size / BLOCK_LEAVES);
  let added = 0;
  for (let first = await cachedBlockCount(); first < want; first += FILL_BATCH) {
    const end = Math.min(first + FILL_BATCH, want);
    const rows = await readBlockLeaves(first, end);
    const data = rows.map(({ block, leaves }) => {
      if (leaves.length !== BLOCK_LEAVES * 32)
        throw new Error(`block ${block} of the audit log is incomplete: the log has a gap`);
      return { block: BigInt(block), hash: subtreeOf(hashesOf(leaves)) };
    });
    if (data.length !== end - first)
      throw new Error(`blocks ${first}–${end - 1} of the audit log are incomplete: the log has a gap`);
    added += (await db.merkleBlock.createMany({ data, skipDuplicates: true })).count;
  }
  return added;
}

function* hashesOf(concatenated: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < concatenated.length; at += 32) yield concatenated.subarray(at, at + 32);
}
