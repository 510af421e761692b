// Verification of a stored sequence of audit events: gapless seq, canonical bodies that
// parse as events, leaf hashes and the hash chain. Pure and incremental, so the offline
// verifier can stream a million events through it in constant memory.
import { canonicalJson } from "./canonical";
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
  | "SEQ_GAP"
  | "NOT_CANONICAL"
  | "INVALID_EVENT"
  | "TYPE_MISMATCH"
  | "LEAF_HASH_MISMATCH"
  | "CHAIN_HASH_MISMATCH";

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
    this.count += 1;
    if (event.seq !== this.expectedSeq) {
      this.report(event.seq, "SEQ_GAP", `expected seq ${this.expectedSeq}, found ${event.seq}`);
    }
    const parsed = this.checkBody(event);
    const leaf = leafHash(event.body);
    if (!equalBytes(leaf, event.leafHash)) {
      this.report(event.seq, "LEAF_HASH_MISMATCH", "leaf hash does not match the body");
    }
    // Chain from the recomputed leaf, not the stored one, so a body edited together
    // with its stored leaf hash still breaks the chain.
    const chained = chainHash(this.previous, leaf);
    if (!equalBytes(chained, event.chainHash)) {
      this.report(event.seq, "CHAIN_HASH_MISMATCH", "chain hash does not follow from the previous event");
    }
    // Continue from the stored hash so one bad event is reported once, not at every later seq.
    this.previous = event.chainHash;
    this.expectedSeq = event.seq + 1n;
    return { leaf, event: parsed };
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

  private checkBody(event: StoredEvent): AuditEvent | null {
    let value: unknown;
    try {
      value = JSON.parse(event.body);
    } catch {
      this.report(event.seq, "NOT_CANONICAL", "body is not JSON");
      return null;
    }
    if (canonicalJson(value) !== event.body) {
      this.report(event.seq, "NOT_CANONICAL", "body is not RFC 8785 canonical JSON");
      return null;
    }
    const parsed = auditEventSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.report(event.seq, "INVALID_EVENT", `${issue?.path.join(".") || "body"}: ${issue?.message}`);
      return null;
    }
    if (parsed.data.type !== event.type) {
      this.report(event.seq, "TYPE_MISMATCH", `stored type ${event.type}, body says ${parsed.data.type}`);
    }
    return parsed.data;
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
