import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditLine, auditLinesOfCopy } from "./audit-lines";

type Row = { seq: bigint; type: string; body: string; leafHash: Uint8Array; chainHash: Uint8Array };

/** What PostgreSQL sends for COPY (SELECT seq, type, body, leaf_hash, chain_hash …) TO STDOUT (FORMAT binary). */
function binaryCopy(rows: Row[], headerExtension = Buffer.alloc(0)): Buffer {
  const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const value = (bytes: Uint8Array) => [int32(bytes.length), Buffer.from(bytes)];
  const parts = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), int32(0), int32(headerExtension.length), headerExtension];
  for (const row of rows) {
    const seq = Buffer.alloc(8);
    seq.writeBigInt64BE(row.seq);
    parts.push(
      int16(5),
      ...value(seq),
      ...value(Buffer.from(row.type)),
      ...value(Buffer.from(row.body)),
      ...value(row.leafHash),
      ...value(row.chainHash),
    );
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

const expected = (rows: Row[]) => Buffer.from(rows.map((row) => `${JSON.stringify(auditLine(row))}\n`).join(""));

const hash = (fill: number) => new Uint8Array(32).fill(fill);
const row = (seq: number, body: string, type = "user.created"): Row => ({
  seq: BigInt(seq),
  type,
  body,
  leafHash: hash(seq),
  chainHash: hash(255 - seq),
});

// Text as PostgreSQL can send it: any Unicode scalar values (no lone surrogates), with every
// character that JSON escapes, and some it must leave alone, drawn often.
const char = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('"', "\\", "/", "\u007f", "\u0080", "\u00ff", "\u2028", "\u2029", "\ufeff", "é", "€", "😀", "u", "0"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
);
const text = fc.string({ unit: char, maxLength: 40 }).filter((s) => !/\p{Cs}/u.test(s));
const rows = fc
  .array(
    fc.record({
      type: text,
      body: text,
      leafHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      chainHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    }),
    { maxLength: 20 },
  )
  .chain((events) =>
    fc
      .integer({ min: 1, max: Number.MAX_SAFE_INTEGER - events.length })
      .map((first) => events.map((event, i) => ({ ...event, seq: BigInt(first + i) }))),
  );

describe("auditLinesOfCopy", () => {
  it("writes JSON.stringify(auditLine(event)) and a newline for every row, byte for byte", () => {
    fc.assert(
      fc.property(rows, (events) => {
        const page = auditLinesOfCopy(binaryCopy(events));
        expect(page.bytes.equals(expected(events))).toBe(true);
        expect([page.lines, page.lastSeq]).toEqual([events.length, events.at(-1)?.seq ?? null]);
      }),
      { numRuns: 500 },
    );
  });

  it("writes every control character, quote and backslash as JSON.stringify does", () => {
    const all = Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code)).join("");
    const events = [
      row(1, all),
      row(9, `{"a":"\\"quoted\\" \\\\ \\u0000"}`),
      row(10, "", ""),
      row(123_456_789, "😀\u2028é"),
    ];
    expect(auditLinesOfCopy(binaryCopy(events)).bytes.toString("utf8")).toBe(expected(events).toString("utf8"));
  });

  it("writes seq as JSON does at the edges: 1, powers of ten, 2^32 and 2^53 - 1", () => {
    const edges = [1, 9, 10, 99, 100, 1_000_000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    const events = edges.map((seq) => ({ ...row(1, "{}"), seq: BigInt(seq) }));
    expect(auditLinesOfCopy(binaryCopy(events)).bytes.equals(expected(events))).toBe(true);
    expect(() => auditLinesOfCopy(binaryCopy([{ ...row(1, "{}"), seq: 2n ** 53n }]))).toThrow(/2\^53/);
  });

  it("reads an empty COPY and skips a header extension", () => {
    expect(auditLinesOfCopy(binaryCopy([]))).toEqual({ bytes: Buffer.alloc(0), lines: 0, lastSeq: null });
    const events = [row(1, '{"x":1}'), row(2, '{"y":"z"}')];
    expect(auditLinesOfCopy(binaryCopy(events, Buffer.from("extension"))).bytes.equals(expected(events))).toBe(true);
  });

  it("grows its buffer for text that escapes to six times its size", () => {
    const events = [row(1, "\u0001".repeat(50_000)), row(2, '"'.repeat(20_000))];
    expect(auditLinesOfCopy(binaryCopy(events)).bytes.equals(expected(events))).toBe(true);
  });

  it("refuses what is not a binary COPY of audit events rather than write a wrong line", () => {
    const copy = binaryCopy([row(1, "{}")]);
    expect(() => auditLinesOfCopy(Buffer.from("1\tuser.created\t{}\n"))).toThrow(/no binary header/);
    const fields = Buffer.from(copy);
    fields.writeInt16BE(4, 19);
    expect(() => auditLinesOfCopy(fields)).toThrow(/4 fields/);
    const nullBody = Buffer.from(copy);
    nullBody.writeInt32BE(-1, 19 + 2 + 12 + 4 + "user.created".length);
    expect(() => auditLinesOfCopy(nullBody)).toThrow(/null/);
    expect(() => auditLinesOfCopy(copy.subarray(0, copy.length - 20))).toThrow();
  });
});
