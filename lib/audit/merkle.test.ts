import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./hash";
import {
  EMPTY_ROOT,
  TreeBuilder,
  consistencyProof,
  hashChildren,
  inclusionProof,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
  type Verdict,
} from "./merkle";
import vectors from "./merkle.vectors.json";

const leafOf = (data: Uint8Array) =>
  createHash("sha256")
    .update(Buffer.from([0]))
    .update(data)
    .digest();
const b64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const hexAll = (hashes: Uint8Array[]) => hashes.map(toHex);

/** MTH straight from RFC 9162 §2.1.1's recursive definition, to check the streaming one. */
function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => leafOf(Buffer.from(`leaf ${i}`)));

function flipBit(hashes: readonly Uint8Array[], at: number): Uint8Array[] {
  return hashes.map((h, i) => {
    const copy = Uint8Array.from(h);
    if (i === at) copy[i % copy.length]! ^= 0x10;
    return copy;
  });
}

describe("Merkle tree: RFC 6962 reference tree (transparency-dev/merkle vectors)", () => {
  const tree = vectors.referenceTree;
  const leaves = tree.leaves.map((hex) => leafOf(fromHex(hex)));

  it("computes the published root of every prefix", () => {
    tree.roots.forEach((root, i) => expect(toHex(subtreeRoot(leaves.slice(0, i + 1)))).toBe(root));
    expect(toHex(subtreeRoot([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("generates and verifies the published inclusion proofs", () => {
    for (const { index, treeSize, proof } of tree.inclusionProofs) {
      const generated = inclusionProof(leaves, index, treeSize);
      expect(hexAll(generated), `leaf ${index} in ${treeSize}`).toEqual(proof);
      const claim = {
        index,
        size: treeSize,
        leafHash: leaves[index]!,
        proof: generated,
        root: fromHex(tree.roots[treeSize - 1]!),
      };
      expect(verifyInclusion(claim)).toEqual({ ok: true });
    }
  });

  it("generates and verifies the published consistency proofs", () => {
    for (const { size1, size2, proof } of tree.consistencyProofs) {
      const generated = consistencyProof(leaves, size1, size2);
      expect(hexAll(generated), `${size1} → ${size2}`).toEqual(proof);
      const [firstRoot, secondRoot] = [fromHex(tree.roots[size1 - 1]!), fromHex(tree.roots[size2 - 1]!)];
      expect(verifyConsistency({ first: size1, second: size2, firstRoot, secondRoot, proof: generated })).toEqual({
        ok: true,
      });
    }
  });
});

describe("Merkle proof verification: every transparency-dev/merkle probe, bad proofs included", () => {
  const list = (proof: string[] | null) => (proof ?? []).map(b64);

  it.each(vectors.inclusionProbes.map((p) => [p.file, p] as const))("inclusion %s", (_, probe) => {
    const verdict = verifyInclusion({
      index: probe.leafIdx,
      size: probe.treeSize,
      leafHash: b64(probe.leafHash),
      proof: list(probe.proof),
      root: b64(probe.root),
    });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(!probe.wantErr);
  });

  it.each(vectors.consistencyProbes.map((p) => [p.file, p] as const))("consistency %s", (_, probe) => {
    const verdict = verifyConsistency({
      first: probe.size1,
      second: probe.size2,
      firstRoot: b64(probe.root1),
      secondRoot: b64(probe.root2),
      proof: list(probe.proof),
    });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(!probe.wantErr);
  });

  it("covers both outcomes", () => {
    const all = [...vectors.inclusionProbes, ...vectors.consistencyProbes];
    expect(all.filter((p) => p.wantErr).length).toBeGreaterThan(150);
    expect(all.filter((p) => !p.wantErr).length).toBeGreaterThan(10);
  });
});

describe("Merkle tree: exhaustive small trees", () => {
  const leaves = numbered(100);

  it("streams the same root as the recursive definition for 0..100 leaves", () => {
    for (let n = 0; n <= 100; n++)
      expect(toHex(subtreeRoot(leaves.slice(0, n))), `n=${n}`).toBe(toHex(naiveRoot(leaves.slice(0, n))));
  });

  it("accepts cached complete subtrees in place of their leaves", () => {
    for (const n of [256, 300, 513, 1000]) {
      const many = numbered(n);
      const builder = new TreeBuilder();
      let i = 0;
      for (; i + 8 <= n; i += 8) builder.pushSubtree(subtreeRoot(many, { start: i, end: i + 8 }), 3);
      for (; i < n; i++) builder.push(many[i]!);
      expect(toHex(builder.root())).toBe(toHex(subtreeRoot(many)));
    }
    const misaligned = new TreeBuilder();
    misaligned.push(leaves[0]!);
    expect(() => misaligned.pushSubtree(leaves[1]!, 1)).toThrow(RangeError);
  });

  it("verifies every inclusion proof up to 40 leaves and rejects every tampered one", () => {
    for (let size = 1; size <= 40; size++) {
      const tree = leaves.slice(0, size);
      const root = subtreeRoot(tree);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(tree, index);
        const claim = { index, size, leafHash: tree[index]!, proof, root };
        expect(verifyInclusion(claim), `${index} in ${size}`).toEqual({ ok: true });
        proof.forEach((_, at) => expect(verifyInclusion({ ...claim, proof: flipBit(proof, at) }).ok).toBe(false));
        expect(verifyInclusion({ ...claim, leafHash: leaves[size]! }).ok).toBe(false);
        expect(verifyInclusion({ ...claim, proof: [...proof, root] }).ok).toBe(false);
        if (proof.length) expect(verifyInclusion({ ...claim, proof: proof.slice(1) }).ok).toBe(false);
        if (size > 1) expect(verifyInclusion({ ...claim, index: (index + 1) % size }).ok).toBe(false);
        expect(verifyInclusion({ ...claim, index: size }).ok).toBe(false);
      }
    }
  });

  it("verifies every consistency proof up to 40 leaves and rejects every tampered one", () => {
    const roots = Array.from({ length: 41 }, (_, n) => subtreeRoot(leaves.slice(0, n)));
    for (let second = 1; second <= 40; second++) {
      for (let first = 1; first <= second; first++) {
        const proof = consistencyProof(leaves.slice(0, second), first);
        const claim = { first, second, firstRoot: roots[first]!, secondRoot: roots[second]!, proof };
        expect(verifyConsistency(claim), `${first} → ${second}`).toEqual({ ok: true });
        proof.forEach((_, at) => expect(verifyConsistency({ ...claim, proof: flipBit(proof, at) }).ok).toBe(false));
        if (first < second) {
          expect(verifyConsistency({ ...claim, firstRoot: roots[first - 1] ?? EMPTY_ROOT }).ok).toBe(false);
          expect(verifyConsistency({ ...claim, secondRoot: roots[second - 1]! }).ok).toBe(false);
          expect(verifyConsistency({ ...claim, proof: proof.slice(0, -1) }).ok).toBe(false);
          expect(verifyConsistency({ ...claim, first: second, second: first }).ok).toBe(false);
        }
        expect(verifyConsistency({ ...claim, proof: [...proof, roots[first]!] }).ok).toBe(false);
      }
    }
  });
});

describe("Merkle proof verification never throws", () => {
  const h = leafOf(Buffer.from("x"));
  const junk: unknown[] = [-1, 1.5, NaN, Infinity, 2 ** 60, "3", null, undefined, {}];

  it("answers every malformed claim with a reason", () => {
    const verdicts: Verdict[] = [];
    for (const bad of junk) {
      verdicts.push(verifyInclusion({ index: bad, size: 4, leafHash: h, proof: [h, h], root: h } as never));
      verdicts.push(verifyInclusion({ index: 0, size: bad, leafHash: h, proof: [h, h], root: h } as never));
      verdicts.push(verifyInclusion({ index: 0, size: 4, leafHash: bad, proof: [h, h], root: h } as never));
      verdicts.push(verifyInclusion({ index: 0, size: 4, leafHash: h, proof: bad, root: h } as never));
      verdicts.push(verifyInclusion({ index: 0, size: 4, leafHash: h, proof: [h, bad], root: bad } as never));
      verdicts.push(verifyConsistency({ first: bad, second: 4, firstRoot: h, secondRoot: h, proof: [h] } as never));
      verdicts.push(verifyConsistency({ first: 3, second: bad, firstRoot: h, secondRoot: h, proof: [h] } as never));
      verdicts.push(verifyConsistency({ first: 3, second: 4, firstRoot: bad, secondRoot: h, proof: [h] } as never));
      verdicts.push(verifyConsistency({ first: 3, second: 4, firstRoot: h, secondRoot: h, proof: bad } as never));
    }
    for (const verdict of verdicts) {
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toMatch(/\w/);
    }
    expect(verifyInclusion({ index: 5, size: 3, leafHash: h, proof: [], root: h })).toEqual({
      ok: false,
      reason: "leaf index 5 is not inside a tree of size 3",
    });
  });
});

describe("Merkle tree at scale", () => {
  it("computes the root of a million leaves in under 2 seconds", () => {
    const pool = randomBytes(32 * 1024);
    const leaves = Array.from({ length: 1_000_000 }, (_, i) => pool.subarray((i % 1024) * 32, (i % 1024) * 32 + 32));
    const started = performance.now();
    const cpu = process.cpuUsage();
    const builder = new TreeBuilder();
    for (const leaf of leaves) builder.push(leaf);
    const root = builder.root();
    const { user, system } = process.cpuUsage(cpu);
    const took = { wall: performance.now() - started, cpu: (user + system) / 1000 };
    console.log(`root of 1,000,000 leaves: ${took.wall.toFixed(0)} ms wall, ${took.cpu.toFixed(0)} ms CPU`);
    expect(root).toHaveLength(32);
    // CPU time, not wall time: a busy test machine must not fail a fast algorithm.
    expect(took.cpu).toBeLessThan(2_000);
    const index = 765_432;
    const proof = inclusionProof(leaves, index);
    expect(verifyInclusion({ index, size: leaves.length, leafHash: leaves[index]!, proof, root })).toEqual({
      ok: true,
    });
  }, 30_000);
});
