// What the log says, as of the release's cut, about everything the release's derived files
// state: accounts' pseudonyms, batches and their lifecycle, each datapoint's publication, each
// decision's events, the policies, and each voter's latest vote on each datapoint. Built by
// replaying the trail in seq order; the files are then rebuilt from it (derived.ts). Pure.
import type { AuditEvent } from "@/lib/audit/events";
import { canonicalJson } from "@/lib/audit/canonical";

type Event<T extends AuditEvent["type"]> = Extract<AuditEvent, { type: T }>;

export type BatchFacts = { slug: string; opensAt: string; closesAt: string; opened: number[]; closed: number[] };
export type DatapointFacts = Omit<Event<"datapoint.published">, "type" | "actorId"> & {
  seq: number;
  index: number;
  reopened: boolean;
};
export type DecisionFacts = {
  decisionId: string;
  datapointId: string;
  proposed: (Event<"decision.override_proposed"> & { seq: number }) | null;
  finalized: (Event<"decision.finalized"> & { seq: number }) | null;
  declinedSeq: number | null;
  reopenedSeq: number | null;
  /** Seq and `at` of its first event: when the decision was recorded. */
  recordedSeq: number;
  recordedAt: string;
};
export type PolicyFacts = { name: string; version: number; kind: string; document: string };

/** Bits of the key packing a datapoint's and a voter's index into one number (2^53 > 2^31 × 2^22). */
const VOTER_BITS = 2 ** 22;

export class ReleaseFacts {
  readonly users = new Map<string, { index: number; pseudonym: string }>();
  readonly batches = new Map<string, BatchFacts>();
  readonly datapoints = new Map<string, DatapointFacts>();
  readonly decisions = new Map<string, DecisionFacts>();
  /** datapoint → the decision standing as its final label (finalized, not reopened) */
  readonly standing = new Map<string, string>();
  readonly policies = new Map<string, PolicyFacts>();
  readonly votes = new LatestVotes();

  apply(seq: number, event: AuditEvent): void {
    switch (event.type) {
      case "user.created":
        this.users.set(event.userId, { index: this.users.size, pseudonym: event.pseudonym });
        return;
      case "policy.published":
        this.policies.set(event.contentHash, {
          name: event.name,
          version: event.version,
          kind: String(event.document.kind),
          document: canonicalJson(event.document),
        });
        return;
      case "batch.created":
        this.batches.set(event.batchId, {
          slug: event.slug,
          opensAt: event.opensAt,
          closesAt: event.closesAt,
          opened: [],
          closed: [],
        });
        return;
      case "batch.opened":
        this.batches.get(event.batchId)?.opened.push(seq);
        return;
      case "batch.closed":
        this.batches.get(event.batchId)?.closed.push(seq);
        return;
      case "datapoint.published": {
        if (this.datapoints.has(event.datapointId)) return;
        const { type: _type, actorId: _actor, ...published } = event;
        this.datapoints.set(event.datapointId, { ...published, seq, index: this.datapoints.size, reopened: false });
        return;
      }
      case "decision.override_proposed":
        this.decision(seq, event).proposed ??= { ...event, seq };
        return;
      case "decision.finalized":
        this.decision(seq, event).finalized ??= { ...event, seq };
        this.standing.set(event.datapointId, event.decisionId);
        return;
      case "decision.override_declined":
        this.decision(seq, event).declinedSeq ??= seq;
        return;
      case "decision.reopened": {
        this.decision(seq, event).reopenedSeq ??= seq;
        const datapoint = this.datapoints.get(event.datapointId);
        if (datapoint) datapoint.reopened = true;
        if (this.standing.get(event.datapointId) === event.decisionId) this.standing.delete(event.datapointId);
        return;
      }
      default:
        return;
    }
  }

  /** A vote event (any datapoint's), as the trail's checkers summarise it. */
  vote(seq: number, datapointId: string, voterId: string, fingerprint: Uint8Array): void {
    const datapoint = this.datapoints.get(datapointId)?.index;
    const voter = this.users.get(voterId)?.index;
    if (datapoint === undefined || voter === undefined) return; // refused by the tally replay
    this.votes.set(datapoint * VOTER_BITS + voter, seq, fingerprint);
  }

  /** The key of a voter's vote on a datapoint in `votes`, or null for an unknown one. */
  voteKey(datapointId: string, voterId: string): number | null {
    const datapoint = this.datapoints.get(datapointId)?.index;
    const voter = this.users.get(voterId)?.index;
    return datapoint === undefined || voter === undefined ? null : datapoint * VOTER_BITS + voter;
  }

  /** The datapoint index of a vote key. */
  static datapointOfKey(key: number): number {
    return Math.floor(key / VOTER_BITS);
  }

  private decision(seq: number, event: { decisionId: string; datapointId: string; at: string }): DecisionFacts {
    let facts = this.decisions.get(event.decisionId);
    if (!facts) {
      facts = {
        decisionId: event.decisionId,
        datapointId: event.datapointId,
        proposed: null,
        finalized: null,
        declinedSeq: null,
        reopenedSeq: null,
        recordedSeq: seq,
        recordedAt: event.at,
      };
      this.decisions.set(event.decisionId, facts);
    }
    return facts;
  }
}

/**
 * Each voter's latest vote per datapoint: seq and fingerprint in flat arrays, found by a
 * numeric key, so a million votes cost tens of megabytes rather than a million objects.
 */
class LatestVotes {
  private readonly slots = new Map<number, number>();
  private seqs = new Float64Array(1024);
  private fingerprints = Buffer.alloc(1024 * 16);
  private seen = new Uint8Array(1024);
  readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  set(key: number, seq: number, fingerprint: Uint8Array): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.keys.length;
      this.slots.set(key, slot);
      this.keys.push(key);
      if (slot >= this.seqs.length) this.grow();
    }
    this.seqs[slot] = seq;
    this.fingerprints.set(fingerprint, slot * 16);
  }

  /** The vote under `key`, marking it seen; null when the log has none. */
  take(key: number): { seq: number; fingerprint: string; seenBefore: boolean } | null {
    const slot = this.slots.get(key);
    if (slot === undefined) return null;
    const seenBefore = this.seen[slot] === 1;
    this.seen[slot] = 1;
    return {
      seq: this.seqs[slot]!,
      fingerprint: this.fingerprints.toString("hex", slot * 16, slot * 16 + 16),
      seenBefore,
    };
  }

  /** Keys of the votes `take` never returned, with their seqs. */
  *unseen(): Generator<{ key: number; seq: number }> {
    for (let slot = 0; slot < this.keys.length; slot++)
      if (this.seen[slot] !== 1) yield { key: this.keys[slot]!, seq: this.seqs[slot]! };
  }

  private grow(): void {
    const size = this.seqs.length * 2;
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.seqs = seqs;
    const fingerprints = Buffer.alloc(size * 16);
    this.fingerprints.copy(fingerprints);
    this.fingerprints = fingerprints;
    const seen = new Uint8Array(size);
    seen.set(this.seen);
    this.seen = seen;
  }
}
