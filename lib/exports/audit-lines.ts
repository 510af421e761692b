// The lines of audit.jsonl. `auditLine` says what a line is; `auditLinesOfCopy` writes the
// same bytes, JSON.stringify(auditLine(event)) + "\n" for each event, straight from
// PostgreSQL's binary COPY of a page of events into one Buffer, without a string, object or
// BigInt per event: the audit trail is the one download as long as the log (1.4 M events at
// site scale), and decoding, escaping and re-encoding each body as a JS string was most of
// its cost.
//
// JSON.stringify escapes a string's quote, backslash and code units below U+0020 (with the
// short forms \b \t \n \f \r, else \u00xx in lower case) and lone surrogates. PostgreSQL sends
// text as valid UTF-8, where no lone surrogate can occur and every byte of a multi-byte
// character is 0x80 or above, so escaping those ASCII bytes of the UTF-8 text, and copying
// every other byte, gives the same bytes as JSON.stringify followed by UTF-8 encoding.
import { toHex } from "@/lib/audit/hash";
import type { StoredEvent } from "@/lib/audit/verify";

/** One line of audit.jsonl: `body` is the stored canonical text, as a JSON string. */
export function auditLine(event: StoredEvent) {
  return {
    seq: Number(event.seq),
    type: event.type,
    body: event.body,
    leafHash: toHex(event.leafHash),
    chainHash: toHex(event.chainHash),
  };
}

/** The columns of the COPY the lines are written from (one page of events, in seq order). */
export const AUDIT_COPY_COLUMNS = "seq, type, body, leaf_hash, chain_hash";

export type AuditLines = { bytes: Buffer; lines: number; lastSeq: bigint | null };

// PostgreSQL's binary COPY format: an 11-byte signature, 32-bit flags and the length of a
// header extension; then per row a 16-bit field count and, per field, a 32-bit length and
// the value's binary form (bigint: 8 bytes big-endian; text: its bytes; bytea: raw bytes);
// a field count of -1 ends the data.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const FIELDS = 5;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX = Buffer.from("0123456789abcdef", "latin1");
/** For each byte: 0 when it stands for itself in a JSON string, else the byte after the backslash ("u" for \u00xx). */
const ESCAPE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) ESCAPE[c] = 0x75;
for (const [c, short] of [
  [0x08, "b"],
  [0x09, "t"],
  [0x0a, "n"],
  [0x0c, "f"],
  [0x0d, "r"],
  [QUOTE, '"'],
  [BACKSLASH, "\\"],
] as const) {
  ESCAPE[c] = short.charCodeAt(0);
}

const PREFIX = {
  seq: Buffer.from('{"seq":'),
  type: Buffer.from(',"type":'),
  body: Buffer.from(',"body":'),
  leafHash: Buffer.from(',"leafHash":"'),
  chainHash: Buffer.from('","chainHash":"'),
  end: Buffer.from('"}\n'),
};
/** Bytes of a line besides its text and hashes: the prefixes, up to 16 digits of seq, and the quotes of type and body. */
const FIXED_BYTES = Object.values(PREFIX).reduce((sum, part) => sum + part.length, 0) + 16 + 4;

/** The lines of one binary COPY of AUDIT_COPY_COLUMNS. */
export function auditLinesOfCopy(copy: Buffer): AuditLines {
  if (copy.length < SIGNATURE.length + 10 || !copy.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new Error("audit export: COPY sent no binary header");
  }
  let at = SIGNATURE.length + 8 + copy.readUInt32BE(SIGNATURE.length + 4);
  // Lines run about a fifth longer than their rows in the COPY (hex hashes, names, escapes).
  let out: Buffer = Buffer.allocUnsafe(Math.ceil(copy.length * 1.25) + FIXED_BYTES);
  let o = 0;
  let lines = 0;
  let seq = -1;
  for (let fields = copy.readInt16BE(at); fields !== -1; fields = copy.readInt16BE(at)) {
    if (fields !== FIELDS) throw new Error(`audit export: COPY sent a row of ${fields} fields, not ${FIELDS}`);
    at += 2;
    const seqAt = field(copy, at);
    const high = copy.readUInt32BE(seqAt);
    if (high > 0x1fffff) throw new Error("audit export: seq beyond 2^53 cannot be written as a JSON number");
    seq = high * 2 ** 32 + copy.readUInt32BE(seqAt + 4);
    const typeAt = field(copy, seqAt + 8);
    const typeEnd = typeAt + copy.readInt32BE(typeAt - 4);
    const bodyAt = field(copy, typeEnd);
    const bodyEnd = bodyAt + copy.readInt32BE(bodyAt - 4);
    const leafAt = field(copy, bodyEnd);
    const leafEnd = leafAt + copy.readInt32BE(leafAt - 4);
    const chainAt = field(copy, leafEnd);
    const chainEnd = chainAt + copy.readInt32BE(chainAt - 4);
    if (chainEnd > copy.length) throw new Error("audit export: COPY sent a row cut short");
    at = chainEnd;

    // At most six bytes per byte of text (\u00xx), two per byte of a hash.
    const worst = FIXED_BYTES + 6 * (typeEnd - typeAt + bodyEnd - bodyAt) + 2 * (leafEnd - leafAt + chainEnd - chainAt);
    if (out.length - o < worst) out = grown(out, o, worst);
    o = put(PREFIX.seq, out, o);
    o = writeDecimal(seq, out, o);
    o = put(PREFIX.type, out, o);
    o = writeJsonString(copy, typeAt, typeEnd, out, o);
    o = put(PREFIX.body, out, o);
    o = writeJsonString(copy, bodyAt, bodyEnd, out, o);
    o = put(PREFIX.leafHash, out, o);
    o = writeHex(copy, leafAt, leafEnd, out, o);
    o = put(PREFIX.chainHash, out, o);
    o = writeHex(copy, chainAt, chainEnd, out, o);
    o = put(PREFIX.end, out, o);
    lines++;
  }
  return { bytes: out.subarray(0, o), lines, lastSeq: lines > 0 ? BigInt(seq) : null };
}

/** A few fixed bytes (a loop: cheaper than Buffer#copy's checks for so few). */
function put(part: Uint8Array, out: Uint8Array, o: number): number {
  for (let i = 0; i < part.length; i++) out[o++] = part[i]!;
  return o;
}

/** Where the value of the field whose length is at `at` starts; the length precedes it. */
function field(copy: Buffer, at: number): number {
  if (copy.readInt32BE(at) < 0) throw new Error("audit export: COPY sent a null in an audit event");
  return at + 4;
}

function grown(out: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + needed));
  out.copy(bigger, 0, 0, used);
  return bigger;
}

/** A non-negative safe integer in decimal, as JSON.stringify writes it. */
function writeDecimal(value: number, out: Buffer, o: number): number {
  let digits = 1;
  for (let power = 10; power <= value; power *= 10) digits++;
  for (let i = o + digits - 1, rest = value; i >= o; i--, rest = Math.floor(rest / 10)) out[i] = 0x30 + (rest % 10);
  return o + digits;
}

/** UTF-8 text as a JSON string, quotes included. */
function writeJsonString(src: Buffer, start: number, end: number, out: Buffer, o: number): number {
  out[o++] = QUOTE;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    const escape = ESCAPE[c]!;
    if (escape === 0) {
      out[o++] = c;
    } else if (escape !== 0x75) {
      out[o++] = BACKSLASH;
      out[o++] = escape;
    } else {
      out[o++] = BACKSLASH;
      out[o++] = 0x75;
      out[o++] = 0x30;
      out[o++] = 0x30;
      out[o++] = HEX[c >> 4]!;
      out[o++] = HEX[c & 15]!;
    }
  }
  out[o++] = QUOTE;
  return o;
}

/** Bytes in lower-case hex. */
function writeHex(src: Buffer, start: number, end: number, out: Buffer, o: number): number {
  for (let i = start; i < end; i++) {
    out[o++] = HEX[src[i]! >> 4]!;
    out[o++] = HEX[src[i]! & 15]!;
  }
  return o;
}
