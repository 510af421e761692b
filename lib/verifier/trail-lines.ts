// The audit trail's lines, checked a chunk at a time: everything about a line that does not
// depend on the chunks before it. Whether it is an audit record, whether its body is a
// canonical, valid event, whether its leaf hash matches, and whether its chain hash follows
// from the previous record's when that record is in the same chunk. Runs in worker threads
// (trail-worker.mjs) or in the verifier's own thread; the rest (seq order, the chain across
// chunks, the Merkle tree, the decision replay) is sequential and stays in verify.ts.
import { isAscii } from "node:buffer";
import { hash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import type { AuditEvent } from "@/lib/audit/events";
import { LEAF_HASH_MISMATCH, checkBody, type ProblemCode } from "@/lib/audit/verify";
import { replayReads, voteFingerprint } from "./replayed";
import { SHA256_HEX } from "@/lib/domain/schema";

/** The line is an audit record; any other line is reported as MALFORMED_LINE. */
export const AUDIT_RECORD = 1;
/** Its body is a canonical, valid event. */
export const VALID_EVENT = 2;
/** Its chain hash follows from the previous record's (and its recomputed leaf). */
export const CHAINED = 4;
/** The previous record is in an earlier chunk, so the chain was not checked here. */
export const CHAIN_UNCHECKED = 8;

export const HASH_BYTES = 32;
/** Bytes a line takes in ChunkReport.hashes. */
export const PAIR = 2 * HASH_BYTES;

type LineProblem = { line: number; code: ProblemCode; detail: string };

export type ChunkReport = {
  /** Lines in the chunk, not counting empty ones. */
  lines: number;
  /** Per line: AUDIT_RECORD | VALID_EVENT | CHAINED | CHAIN_UNCHECKED. */
  flags: Uint8Array;
  seqs: Float64Array;
  /**
   * 64 bytes a line, and 64 more at the end: at 64 × line + 32 the leaf hash recomputed from
   * the line's body, at 64 × (line + 1) the line's stored chain hash. So the previous record's
   * chain hash and a record's leaf, which its own chain hash must follow from, sit side by side.
   */
  hashes: Uint8Array;
  /** Problems of one record on its own (its body, its leaf hash), in line order. */
  problems: LineProblem[];
  /** The valid events the decision replay reads (replayReads), in line order. */
  events: { line: number; event: AuditEvent }[];
  /**
   * The valid vote events on the summarised datapoints, in line order, as the rebuild of
   * votes.jsonl needs them: line, datapoint id and voter id joined (36 + 36 characters), and
   * 16 bytes of voteFingerprint each (columns, so a chunk of votes crosses threads cheaply).
   */
  votes: { lines: number[]; keys: string[]; fingerprints: Uint8Array };
};

const HEX64 = SHA256_HEX;
const LF = 0x0a;
const CR = 0x0d;

/** The non-empty lines of a chunk of whole lines, by index. */
export type ChunkLines = { count: number; line(index: number): string };

/**
 * The lines of a chunk, as node:readline (with crlfDelay: Infinity) reads them: lines end at
 * LF, CR or CRLF (a CRLF only adds an empty line here), empty lines are skipped, and bytes of a
 * character left incomplete at the end of the file are dropped. An ASCII chunk, as the export
 * writes, is cut at its line ends and each line decoded when it is read, so no string of the
 * whole chunk is ever made (strings that large are collected with the old generation, at a
 * cost); other chunks are decoded whole by readline's own decoder (lines end at ASCII bytes,
 * so their text is the same).
 */
export function chunkLines(chunk: Uint8Array): ChunkLines {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (isAscii(bytes)) {
    const ranges = lineRanges(
      bytes,
      (at) => bytes[at]!,
      (code, from) => bytes.indexOf(code, from),
    );
    return { count: ranges.length / 2, line: (i) => bytes.toString("latin1", ranges[2 * i], ranges[2 * i + 1]) };
  }
  const text = new StringDecoder("utf8").write(bytes);
  const ranges = lineRanges(
    text,
    (at) => text.charCodeAt(at),
    (code, from) => text.indexOf(String.fromCharCode(code), from),
  );
  return { count: ranges.length / 2, line: (i) => text.slice(ranges[2 * i], ranges[2 * i + 1]) };
}

/** Start and end offsets of the non-empty lines of bytes or text. */
function lineRanges(
  of: { length: number },
  codeAt: (at: number) => number,
  find: (code: number, from: number) => number,
): number[] {
  const ranges: number[] = [];
  let start = 0;
  if (find(CR, 0) < 0) {
    for (let end = find(LF, 0); end >= 0; start = end + 1, end = find(LF, start)) {
      if (end > start) ranges.push(start, end);
    }
  } else {
    for (let at = 0; at < of.length; at++) {
      const code = codeAt(at);
      if (code !== LF && code !== CR) continue;
      if (at > start) ranges.push(start, at);
      start = at + 1;
    }
  }
  if (of.length > start) ranges.push(start, of.length);
  return ranges;
}

/** Offset of the last line end (LF or CR) in `bytes`, or -1. */
export function lastLineEnd(bytes: Buffer): number {
  return Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR));
}

/** Checks every line of a chunk of whole lines of audit.jsonl. */
export function checkLines(
  chunk: Uint8Array,
  kept: ReadonlySet<string>,
  summarised: ReadonlySet<string> = new Set(),
): ChunkReport {
  const text = chunkLines(chunk);
  const lines = text.count;
  const flags = new Uint8Array(lines);
  const seqs = new Float64Array(lines);
  const hashes = Buffer.from(new ArrayBuffer((lines + 1) * PAIR));
  const problems: LineProblem[] = [];
  const events: ChunkReport["events"] = [];
  const voteLines: number[] = [];
  const voteKeys: string[] = [];
  const fingerprints: string[] = [];
  let previous = -1;

  for (let line = 0; line < lines; line++) {
    const row = auditRecord(text.line(line));
    if (!row) continue;
    const { seq, type, body, leafHash, chainHash } = row;
    // A record needs both hashes in 64 hex digits. Digests are compared as text first: a stored
    // hash equal to its digest is well formed, so the format is only tested when they differ.
    const leaf = hash("sha256", `\u0000${body}`, "hex");
    if (leaf !== leafHash && !HEX64.test(leafHash)) continue;
    const at = line * PAIR;
    hashes.write(leaf, at + HASH_BYTES, "hex");
    let chained: boolean | undefined;
    if (previous >= 0) {
      // A line between that is not a record: bring the previous record's chain hash along.
      if (previous !== line - 1) hashes.copy(hashes, at, (previous + 1) * PAIR, (previous + 1) * PAIR + HASH_BYTES);
      chained = hash("sha256", hashes.subarray(at, at + PAIR), "hex") === chainHash;
    }
    if (chained !== true && !HEX64.test(chainHash)) continue;

    flags[line] = AUDIT_RECORD | (chained === undefined ? CHAIN_UNCHECKED : chained ? CHAINED : 0);
    seqs[line] = seq;
    hashes.write(chainHash, at + PAIR, "hex");
    previous = line;
    const checked = checkBody(type, body);
    for (const problem of checked.problems) problems.push({ line, ...problem });
    if (leaf !== leafHash) problems.push({ line, ...LEAF_HASH_MISMATCH });
    if (checked.event) {
      flags[line]! |= VALID_EVENT;
      const event = checked.event;
      if (replayReads(event, kept)) events.push({ line, event });
      if ((event.type === "vote.cast" || event.type === "vote.changed") && summarised.has(event.datapointId)) {
        voteLines.push(line);
        voteKeys.push(event.datapointId + event.actorId);
        fingerprints.push(voteFingerprint(event));
      }
    }
  }
  const votes = {
    lines: voteLines,
    keys: voteKeys,
    fingerprints: new Uint8Array(Buffer.from(fingerprints.join(""), "hex")),
  };
  return { lines, flags, seqs, hashes, problems, events, votes };
}

export type AuditRecord = { seq: number; type: string; body: string; leafHash: string; chainHash: string };

const auditLine = z.object({
  seq: z.number().int(),
  type: z.string(),
  body: z.string(),
  leafHash: z.string(),
  chainHash: z.string(),
});
// The line as the export writes it (JSON.stringify of the record): the fields in this order,
// no spaces, a plain seq and type, and the two hashes in the last 158 characters.
const HEAD = /^\{"seq":(0|[1-9][0-9]{0,15}),"type":"([^"\\\u0000-\u001f]*)","body":(?=")/;
const TAIL = 13 + 64 + 15 + 64 + 2;

/**
 * The audit record a line of audit.jsonl holds: what `auditLine.safeParse(JSON.parse(line))`
 * gives whenever either answer has two hashes of 64 lower-case hex digits (a record the
 * verifier accepts); otherwise neither has, and the line is malformed either way. Lines in the
 * export's own layout are taken apart directly, parsing only the body's string literal: with
 * hex digits between the fixed delimiters the whole line is JSON with exactly these values,
 * and with anything else there JSON.parse gives no such record (64 characters leave no room
 * for another key). Other lines go through JSON.parse and the schema.
 */
export function auditRecord(line: string): AuditRecord | null {
  const head = HEAD.exec(line);
  const tail = line.length - TAIL;
  if (
    head &&
    tail > head[0].length &&
    line.startsWith(',"leafHash":"', tail) &&
    line.startsWith('","chainHash":"', tail + 77) &&
    line.endsWith('"}')
  ) {
    const seq = Number(head[1]);
    const body = parseJson(line.slice(head[0].length, tail));
    if (typeof body === "string" && Number.isSafeInteger(seq)) {
      return {
        seq,
        type: head[2]!,
        body,
        leafHash: line.slice(tail + 13, tail + 77),
        chainHash: line.slice(tail + 92, tail + 156),
      };
    }
  }
  const parsed = auditLine.safeParse(parseJson(line));
  return parsed.success ? parsed.data : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
