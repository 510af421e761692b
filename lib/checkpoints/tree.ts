// The Merkle tree of the stored log: roots and proofs from cached 256-leaf block hashes plus
// the few leaves around the edges, so a proof in a million-event log reads a few thousand
// small rows. Every subtree in a proof with 256 or more leaves starts on a block boundary
// (RFC 9162 splits at powers of two), which is what makes the blocks usable.
import {
  EMPTY_ROOT,
  TreeBuilder,
  consistencyProofRanges,
  inclusionPathRanges,
  type LeafRange,
} from "@/lib/audit/merkle";
import { BLOCK_HEIGHT, BLOCK_LEAVES, readBlockHashes, readLeafSpans, type LeafSpan } from "./data";

type Plan = { range: LeafRange; blocks: [number, number]; tail: LeafSpan };

function plan(range: LeafRange): Plan {
  const { start, end } = range;
  if (end - start < BLOCK_LEAVES) return { range, blocks: [0, 0], tail: { start, end } };
  if (start % BLOCK_LEAVES !== 0) throw new RangeError(`subtree [${start}, ${end}) does not start on a block`);
  const blockEnd = Math.floor(end / BLOCK_LEAVES);
  return { range, blocks: [start / BLOCK_LEAVES, blockEnd], tail: { start: blockEnd * BLOCK_LEAVES, end } };
}

/** MTH(D[start:end]) of each range of the stored log. */
async function rangeHashes(ranges: LeafRange[]): Promise<Uint8Array<ArrayBuffer>[]> {
  const plans = ranges.map(plan);
  const withBlocks = plans.filter((p) => p.blocks[1] > p.blocks[0]);
  const first = Math.min(...withBlocks.map((p) => p.blocks[0]));
  const end = Math.max(...withBlocks.map((p) => p.blocks[1]));
  const cached = withBlocks.length ? await readBlockHashes(first, end) : new Map<number, Uint8Array>();

  // Blocks not cached yet (signing fills them; proofs never need them) come from their leaves.
  const missing = withBlocks.flatMap((p) => blockNumbers(p.blocks).filter((b) => !cached.has(b)));
  const spans = [
    ...plans.map((p) => p.tail),
    ...missing.map((b) => ({ start: b * BLOCK_LEAVES, end: (b + 1) * BLOCK_LEAVES })),
  ];
  const leaves = await readLeafSpans(spans);
  missing.forEach((b, i) => cached.set(b, subtreeOf(leaves[plans.length + i]!)));

  return plans.map((p, i) => {
    const builder = new TreeBuilder();
    for (const b of blockNumbers(p.blocks)) builder.pushSubtree(cached.get(b)!, BLOCK_HEIGHT);
    for (const leaf of leaves[i]!) builder.push(leaf);
    return builder.root();
  });
}

function blockNumbers([first, end]: [number, number]): number[] {
  return Array.from({ length: end - first }, (_, i) => first + i);
}

export function subtreeOf(leaves: Iterable<Uint8Array>): Uint8Array<ArrayBuffer> {
  const builder = new TreeBuilder();
  for (const leaf of leaves) builder.push(leaf);
  return builder.root();
}

/** The root of the stored log's first `size` leaves. */
export async function treeRoot(size: number): Promise<Uint8Array<ArrayBuffer>> {
  if (size === 0) return Uint8Array.from(EMPTY_ROOT);
  const [root] = await rangeHashes([{ start: 0, end: size }]);
  return root!;
}

/** RFC 9162 inclusion proof of leaf `index` in the stored tree of `size` leaves. */
export function inclusionProofOf(index: number, size: number): Promise<Uint8Array[]> {
  return rangeHashes(inclusionPathRanges(index, size));
}

/** RFC 9162 consistency proof between the stored trees of `first` and `second` leaves. */
export function consistencyProofOf(first: number, second: number): Promise<Uint8Array[]> {
  return rangeHashes(consistencyProofRanges(first, second));
}

/** Tree sizes are bigint in the database and numbers in the Merkle code. */
export function leafCount(size: bigint): number {
  if (size < 0n || size > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`tree size ${size} is out of range`);
  return Number(size);
}
