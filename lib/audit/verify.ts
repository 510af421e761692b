// Verification of a stored sequence of audit events: gapless seq, canonical bodies that
// parse as events, leaf hashes and the hash chain. Pure and incremental, so the offline
// verifier can stream a million events through it in constant memory.
import { isCanonicalForm } from "./canonical";
import { auditEventSchema, type AuditEvent } from "./events";
import { GENESIS_CHAIN_HASH, chainHash, equalBytes, leafHash } from "./hash";

export type StoredEvent = {
  seq: bigint;
  type: string;
  body: string;
  leafHash: Uint8Array;
  chainHash: Uint8Array;
};

export type ProblemCode =
  "SEQ_GAP" | "NOT_CANONICAL" | "INVALID_EVENT" | "TYPE_MISMATCH" | "LEAF_HASH_MISMATCH" | "CHAIN_HASH_MISMATCH";

export type Problem = { seq: bigint; code: ProblemCode; detail: string };

export type VerifyResult = {
  ok: boolean;
  /** Events checked. */
  count: number;
  /** Seq and chain hash of the last event checked (the head the next event must chain from). */
  lastSeq: bigint;
  head: Uint8Array;
  problems: Problem[];
};

const MAX_PROBLEMS = 1_000;

/** A problem found in one event on its own, before its seq is attached. */
export type EventProblem = { code: ProblemCode; detail: string };

export const LEAF_HASH_MISMATCH: EventProblem = {
  code: "LEAF_HASH_MISMATCH",
  detail: "leaf hash does not match the body",
};

const NO_PROBLEMS: readonly EventProblem[] = [];

/**
 * What a stored body says on its own: the parsed event (null when the body is not a
 * canonical, valid event) and its problems. Independent of every other event, so it can run
 * anywhere, in any order (the offline verifier checks bodies in worker threads).
 */
export function checkBody(type: string, body: string): { event: AuditEvent | null; problems: readonly EventProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { event: null, problems: [{ code: "NOT_CANONICAL", detail: "body is not JSON" }] };
  }
  if (!isCanonicalForm(value, body))
    return { event: null, problems: [{ code: "NOT_CANONICAL", detail: "body is not RFC 8785 canonical JSON" }] };
  const parsed = auditEventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      event: null,
      problems: [{ code: "INVALID_EVENT", detail: `${issue?.path.join(".") || "body"}: ${issue?.message}` }],
    };
  }
  if (parsed.data.type !== type) {
    return {
      event: parsed.data,
      problems: [{ code: "TYPE_MISMATCH", detail: `stored type ${type}, body says ${parsed.data.type}` }],
    };
  }
  return { event: parsed.data, problems: NO_PROBLEMS };
}

export class ChainVerifier {
  private expectedSeq: bigint;
  private previous: Uint8Array;
  private count = 0;
  private readonly problems: Problem[] = [];

  /** Start from the beginning of the log, or after a trusted (seq, chainHash) prefix. */
  constructor(from: { seq: bigint; chainHash: Uint8Array } = { seq: 0n, chainHash: GENESIS_CHAIN_HASH }) {
    this.expectedSeq = from.seq + 1n;
    this.previous = from.chainHash;
  }

  /**
   * Check the next event. Returns the leaf hash it recomputed and the parsed event (null when
   * the body is not a canonical, valid event), so callers that also replay the log — the
   * offline verifier — do not hash and parse every event a second time.
   */
  push(event: StoredEvent): { leaf: Uint8Array; event: AuditEvent | null } {
    const checked = checkBody(event.type, event.body);
    const leaf = leafHash(event.body);
    const problems = equalBytes(leaf, event.leafHash) ? checked.problems : [...checked.problems, LEAF_HASH_MISMATCH];
    this.pushChecked(event.seq, event.chainHash, leaf, problems);
    return { leaf, event: checked.event };
  }

  /**
   * The part of `push` that depends on the events before: for an event whose body and leaf
   * hash were checked elsewhere (`checkBody`, and the recomputed leaf compared with the stored
   * one), with the problems found there. Reports, in push's order, a seq out of sequence, those
   * problems, and a chain hash that does not follow. `chained` is whether SHA-256(previous
   * chain hash ‖ leaf) equals `chainHash`, when the checker already knew the previous event's
   * chain hash; left out, it is computed here.
   */
  pushChecked(
    seq: bigint,
    chainHashStored: Uint8Array,
    leaf: Uint8Array,
    problems: readonly EventProblem[],
    chained?: boolean,
  ): void {
    this.count += 1;
    if (seq !== this.expectedSeq) {
      this.report(seq, "SEQ_GAP", `expected seq ${this.expectedSeq}, found ${seq}`);
    }
    for (const problem of problems) this.report(seq, problem.code, problem.detail);
    // Chain from the recomputed leaf, not the stored one, so a body edited together
    // with its stored leaf hash still breaks the chain.
    if (!(chained ?? equalBytes(chainHash(this.previous, leaf), chainHashStored))) {
      this.report(seq, "CHAIN_HASH_MISMATCH", "chain hash does not follow from the previous event");
    }
    // Continue from the stored hash so one bad event is reported once, not at every later seq.
    this.previous = chainHashStored;
    this.expectedSeq = seq + 1n;
  }

  result(): VerifyResult {
    return {
      ok: this.problems.length === 0,
      count: this.count,
      lastSeq: this.expectedSeq - 1n,
      head: this.previous,
      problems: [...this.problems],
    };
  }

  private report(seq: bigint, code: ProblemCode, detail: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ seq, code, detail });
  }
}

export function verifyChain(events: Iterable<StoredEvent>): VerifyResult {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.push(event);
  return verifier.result();
}
