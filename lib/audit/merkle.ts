// The RFC 9162 §2.1 (RFC 6962) Merkle tree over the audit log: leaf i is the stored leaf
// hash of seq i + 1, already SHA-256(0x00 ‖ body); an interior node is
// SHA-256(0x01 ‖ left ‖ right). Pure (node:crypto only), so the offline verifier and
// researchers' tools reuse exactly what the server signs.
import { hash } from "node:crypto";
import { HASH_BYTES, equalBytes } from "./hash";

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = hash("sha256", "", "buffer");

// One scratch buffer for 0x01 ‖ left ‖ right: node hashing is the hot loop of a million-leaf
// root, and allocating per node costs more than the hash itself.
const scratch = Buffer.alloc(1 + 2 * HASH_BYTES);
scratch[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right) */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_BYTES);
  return hash("sha256", scratch, "buffer");
}

/**
 * Streaming MTH in O(n) time and O(log n) memory: a stack of complete subtrees whose sizes
 * are the binary digits of the leaves pushed so far (RFC 9162's recursion, bottom-up).
 * Complete subtrees can be pushed whole (a cached block of 2^height leaves) when aligned.
 */
export class TreeBuilder {
  // Stack hashes sit side by side, so a merge hashes one contiguous 64-byte span.
  private readonly hashes = Buffer.alloc(64 * HASH_BYTES);
  private readonly heights: number[] = [];
  private leaves = 0;

  get size(): number {
    return this.leaves;
  }

  push(leafHash: Uint8Array): void {
    this.pushSubtree(leafHash, 0);
  }

  pushSubtree(root: Uint8Array, height: number): void {
    if (root.length !== HASH_BYTES) throw new TypeError(`a tree hash has ${HASH_BYTES} bytes, not ${root.length}`);
    const span = 2 ** height;
    if (!Number.isInteger(height) || height < 0 || this.leaves % span !== 0) {
      throw new RangeError(`a subtree of ${span} leaves cannot start at leaf ${this.leaves}`);
    }
    const heights = this.heights;
    let top = heights.length;
    this.hashes.set(root, top * HASH_BYTES);
    heights.push(height);
    this.leaves += span;
    while (top > 0 && heights[top - 1] === heights[top]) {
      const left = (top - 1) * HASH_BYTES;
      this.hashes.copy(scratch, 1, left, left + 2 * HASH_BYTES);
      // A "binary" (latin1) string round-trips bytes exactly and is faster than a Buffer
      // digest on Node 20.
      this.hashes.write(hash("sha256", scratch, "binary"), left, "binary");
      heights.pop();
      heights[top - 1] = height + 1;
      height += 1;
      top -= 1;
    }
  }

  /** MTH of the leaves pushed so far: fold the stack from the right (smallest) end. */
  root(): Uint8Array<ArrayBuffer> {
    let top = this.heights.length - 1;
    if (top < 0) return Uint8Array.from(EMPTY_ROOT);
    let root: Uint8Array = Uint8Array.from(this.hashes.subarray(top * HASH_BYTES, (top + 1) * HASH_BYTES));
    while (--top >= 0) root = hashChildren(this.hashes.subarray(top * HASH_BYTES, (top + 1) * HASH_BYTES), root);
    return Uint8Array.from(root);
  }
}

/** A run of leaves [start, end) whose subtree hash is one proof element. */
export type LeafRange = { start: number; end: number };

/** MTH(D[start:end]) over in-memory leaf hashes. */
export function subtreeRoot(
  leaves: readonly Uint8Array[],
  { start, end }: LeafRange = { start: 0, end: leaves.length },
): Uint8Array {
  if (!(0 <= start && start <= end && end <= leaves.length))
    throw new RangeError(`no leaves [${start}, ${end}) in a list of ${leaves.length}`);
  const builder = new TreeBuilder();
  for (let i = start; i < end; i++) builder.push(leaves[i]!);
  return builder.root();
}

/** The largest power of two smaller than n (n ≥ 2): RFC 9162's split point k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isSize = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/**
 * The subtrees whose hashes form PATH(index, D[size]) (RFC 9162 §2.1.3.1), leaf first.
 * Walking down from the root and reversing gives the recursion's order without recursion.
 */
export function inclusionPathRanges(index: number, size: number): LeafRange[] {
  if (!isSize(index) || !isSize(size) || index >= size)
    throw new RangeError(`no leaf ${index} in a tree of size ${size}`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = split(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/** The subtrees whose hashes form PROOF(first, D[second]) (RFC 9162 §2.1.4.1), in proof order. */
export function consistencyProofRanges(first: number, second: number): LeafRange[] {
  if (!isSize(first) || !isSize(second) || first < 1 || first > second) {
    throw new RangeError(`no consistency proof from tree size ${first} to ${second}`);
  }
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = second;
  // SUBPROOF's flag b: true while the old tree is still a left edge of the current subtree.
  let whole = true;
  while (first !== end) {
    const k = split(end - start);
    if (first <= start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      whole = false;
    }
  }
  if (!whole) ranges.push({ start, end });
  return ranges.reverse();
}

/** Inclusion proof over in-memory leaves (the whole list is the tree unless size says less). */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, size = leaves.length): Uint8Array[] {
  if (size > leaves.length) throw new RangeError(`a tree of size ${size} needs ${size} leaves, not ${leaves.length}`);
  return inclusionPathRanges(index, size).map((range) => subtreeRoot(leaves, range));
}

export function consistencyProof(leaves: readonly Uint8Array[], first: number, second = leaves.length): Uint8Array[] {
  if (second > leaves.length)
    throw new RangeError(`a tree of size ${second} needs ${second} leaves, not ${leaves.length}`);
  return consistencyProofRanges(first, second).map((range) => subtreeRoot(leaves, range));
}

/** The outcome of checking a proof: never an exception, whatever the input. */
export type Verdict = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });
const odd = (n: number) => n % 2 === 1;
// Halving by division, not >>, which would truncate sizes above 2^31.
const half = (n: number) => Math.floor(n / 2);

function badHashes(proof: unknown): string | null {
  if (!Array.isArray(proof)) return "the proof is not a list of hashes";
  const i = proof.findIndex((h) => !(h instanceof Uint8Array) || h.length !== HASH_BYTES);
  return i < 0 ? null : `proof hash ${i + 1} is not ${HASH_BYTES} bytes`;
}

export type InclusionClaim = {
  index: number;
  size: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  root: Uint8Array;
};

/** RFC 9162 §2.1.3.2: does `proof` show `leafHash` at `index` in the tree `root` of `size`? */
export function verifyInclusion({ index, size, leafHash, proof, root }: InclusionClaim): Verdict {
  if (!isSize(index) || !isSize(size)) return fail("the leaf index and tree size must be whole numbers");
  if (index >= size) return fail(`leaf index ${index} is not inside a tree of size ${size}`);
  if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_BYTES)
    return fail(`the leaf hash is not ${HASH_BYTES} bytes`);
  if (!(root instanceof Uint8Array)) return fail("the root hash is missing");
  const bad = badHashes(proof);
  if (bad) return fail(bad);
  const expected = inclusionPathRanges(index, size).length;
  if (proof.length !== expected) {
    return fail(`the proof has ${proof.length} hashes; leaf ${index} of a tree of size ${size} needs ${expected}`);
  }
  let [fn, sn, r] = [index, size - 1, leafHash];
  for (const p of proof) {
    if (sn === 0) return fail("the proof is longer than the tree is deep");
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) return fail("the proof is shorter than the tree is deep");
  return equalBytes(r, root) ? { ok: true } : fail("the proof does not lead to the root hash");
}

export type ConsistencyClaim = {
  first: number;
  second: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
};

/** RFC 9162 §2.1.4.2: is the tree `firstRoot` of size `first` a prefix of `secondRoot`? */
export function verifyConsistency({ first, second, firstRoot, secondRoot, proof }: ConsistencyClaim): Verdict {
  if (!isSize(first) || !isSize(second)) return fail("tree sizes must be whole numbers");
  if (first > second) return fail(`tree size ${first} is larger than ${second}`);
  if (first === 0) return fail("every tree extends the empty tree: a proof from size 0 proves nothing");
  if (!(firstRoot instanceof Uint8Array) || !(secondRoot instanceof Uint8Array)) return fail("a root hash is missing");
  const bad = badHashes(proof);
  if (bad) return fail(bad);
  if (first === second) {
    if (proof.length > 0) return fail("trees of equal size need an empty proof");
    return equalBytes(firstRoot, secondRoot) ? { ok: true } : fail("trees of equal size have different roots");
  }
  if (firstRoot.length !== HASH_BYTES || secondRoot.length !== HASH_BYTES)
    return fail(`root hashes are ${HASH_BYTES} bytes`);
  const expected = consistencyProofRanges(first, second).length;
  if (proof.length !== expected) {
    return fail(`the proof has ${proof.length} hashes; sizes ${first} and ${second} need ${expected}`);
  }
  // A power-of-two old tree is itself a node of the new one, so the proof omits it.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let [fn, sn] = [first - 1, second - 1];
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
  let [fr, sr] = [path[0]!, path[0]!];
  for (const c of path.slice(1)) {
    if (sn === 0) return fail("the proof is longer than the trees are deep");
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) return fail("the proof is shorter than the trees are deep");
  if (!equalBytes(fr, firstRoot)) return fail("the proof does not lead to the first root hash");
  if (!equalBytes(sr, secondRoot)) return fail("the proof does not lead to the second root hash");
  return { ok: true };
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && !odd(n)) n = half(n);
  return n === 1;
}
