import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { linesOf, type Release } from "./source";
import { auditChunks } from "./trail";
import { auditRecord, chunkLines } from "./trail-lines";

/** A release whose audit.jsonl is `bytes`, read in the given pieces (as a stream delivers them). */
function releaseOf(bytes: Uint8Array, cuts: number[]): Release {
  const ends = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces = [...ends, bytes.length]
    .map((end, i, all) => bytes.slice(i === 0 ? 0 : all[i - 1], end))
    .filter((piece) => piece.length > 0);
  return {
    manifest: {
      asOfSeq: 0,
      checkpoint: { origin: "", treeSize: 0, rootHash: "", note: "" },
      checkpointKey: null,
      files: [],
    },
    describe: "a test release",
    has: () => true,
    open: async () => Readable.from(pieces),
    buffer: async () => ({ byteLength: bytes.length, slice: async (start, end) => bytes.slice(start, end).buffer }),
    names: () => null,
  };
}

async function chunkedLines(release: Release, chunkBytes: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of auditChunks(release, chunkBytes)) {
    const text = chunkLines(chunk);
    for (let i = 0; i < text.count; i++) lines.push(text.line(i));
  }
  return lines;
}

describe("audit.jsonl in chunks of whole lines", () => {
  it("gives exactly the lines node:readline gives, whatever the bytes and the read sizes", async () => {
    // LF, CR, CRLF, multi-byte UTF-8 and bytes that are not UTF-8, split anywhere; and ASCII only.
    const ascii = fc.constantFrom(0x61, 0x62, 0x7b, 0x22, 0x0a, 0x0a, 0x0d);
    const byte = fc.oneof(ascii, fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0xf0, 0x9f, 0x98, 0x80));
    const text = fc.oneof(
      fc.array(ascii, { maxLength: 300 }).map((bytes) => Uint8Array.from(bytes)),
      fc
        .uint8Array({ maxLength: 300 })
        .chain((noise) =>
          fc.array(byte, { maxLength: 300 }).map((bytes) => Uint8Array.from([...bytes, ...noise.slice(0, 3)])),
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.nat(400), { maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, cuts, chunkBytes) => {
          const expected: string[] = [];
          for await (const line of linesOf(releaseOf(bytes, cuts), "audit.jsonl")) expected.push(line);
          expect(await chunkedLines(releaseOf(bytes, cuts), chunkBytes)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  }, 30_000);

  it("hands on every byte once, in order, and only whole lines but the last", async () => {
    const text = Array.from({ length: 200 }, (_, i) => `{"line":${i},"pad":"${"x".repeat(i % 37)}"}`).join("\n");
    const bytes = Buffer.from(`${text}\r\nlast line without an end`);
    const seen: Buffer[] = [];
    const chunks: Buffer[] = [];
    const cuts = Array.from({ length: 60 }, (_, i) => i * 137 + 5);
    for await (const chunk of auditChunks(releaseOf(bytes, cuts), 512, (b) => seen.push(Buffer.from(b))))
      chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks.slice(0, -1)) expect([0x0a, 0x0d]).toContain(chunk.at(-1));
  });
});

describe("auditRecord", () => {
  const schema = z.object({
    seq: z.number().int(),
    type: z.string(),
    body: z.string(),
    leafHash: z.string(),
    chainHash: z.string(),
  });
  function reference(line: string) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return null;
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }
  const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 });
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom('"', "\\", "\n", "\u0000", "\u001f", "é", "\u2028", "{", "}", ",", ":"),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 30,
  });
  const record = fc.record({
    seq: fc.oneof(fc.nat(), fc.constantFrom(-1, 0, 2 ** 53, 2 ** 53 - 1, 1e21, 1.5)),
    type: fc.oneof(fc.constantFrom("vote.cast", "user.created"), text),
    body: fc.oneof(text, fc.json()),
    leafHash: fc.oneof({ arbitrary: hex, weight: 5 }, { arbitrary: text, weight: 1 }),
    chainHash: fc.oneof({ arbitrary: hex, weight: 5 }, { arbitrary: text, weight: 1 }),
  });
  const edit = fc.tuple(
    fc.nat(),
    fc.nat(3),
    fc.constantFrom('"', "\\", " ", ",", "}", "{", "a", "0", ":", "\u0001", "-", "e"),
  );
  /** A line as the export writes it, then edited a few characters at a time. */
  // Edits at the seq too: a leading zero, a sign or an exponent make another number, or no JSON.
  const atSeq = fc.oneof(
    { arbitrary: fc.constant(""), weight: 4 },
    { arbitrary: fc.constantFrom("0", "-", "-0", "+", "1e", ".0", " "), weight: 1 },
  );
  const line = fc
    .tuple(record, fc.array(edit, { maxLength: 2 }), fc.boolean(), atSeq)
    .map(([r, edits, reorder, seqEdit]) => {
      let out = reorder
        ? JSON.stringify({ type: r.type, seq: r.seq, body: r.body, leafHash: r.leafHash, chainHash: r.chainHash })
        : JSON.stringify(r);
      if (!reorder) out = out.slice(0, 7) + seqEdit + out.slice(7);
      for (const [at, remove, insert] of edits) {
        const p = at % (out.length + 1);
        out = out.slice(0, p) + insert + out.slice(p + remove);
      }
      return out;
    });

  /** What the verifier makes of a record: one with two 64-digit hex hashes, or a malformed line. */
  const accepted = (record: ReturnType<typeof reference>) =>
    record && /^[0-9a-f]{64}$/.test(record.leafHash) && /^[0-9a-f]{64}$/.test(record.chainHash) ? record : null;

  it("reads what JSON.parse and the record schema read, in the export's layout or any other", () => {
    let records = 0;
    fc.assert(
      fc.property(line, (l) => {
        const expected = accepted(reference(l));
        expect(accepted(auditRecord(l))).toEqual(expected);
        if (expected) records++;
      }),
      { numRuns: 20_000 },
    );
    expect(records).toBeGreaterThan(2_000);
  }, 60_000);

  it("takes the export's own lines apart without the general parser", () => {
    const exported = JSON.stringify({
      seq: 7,
      type: "vote.cast",
      body: '{"a":"\\"x\\""}',
      leafHash: "a".repeat(64),
      chainHash: "b".repeat(64),
    });
    expect(auditRecord(exported)).toEqual(JSON.parse(exported));
    expect(auditRecord(`${exported} `)).toEqual(JSON.parse(exported));
    expect(auditRecord(exported.replace('"seq":7', '"seq":9007199254740993'))).toBeNull();
    expect(auditRecord(exported.replace('"body":', '"body": '))).toEqual(JSON.parse(exported));
    // A quote in a hash: JSON.parse reads other keys, and neither reading is a record.
    const quoted = exported.replace("a".repeat(64), `${"a".repeat(30)}","x":"${"a".repeat(27)}`);
    expect(quoted.length).toBe(exported.length);
    expect(accepted(auditRecord(quoted))).toBeNull();
    expect(accepted(reference(quoted))).toBeNull();
  });
});
