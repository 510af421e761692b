// Decision records and per-vote rows of the downloads, shaped from what data.ts reads. Pure.
// People appear only as their user id (the stable pseudonymous rater id) and their public
// pseudonym: data.ts never reads an email or a name, so none can reach a row.
import type { Kind } from "./rules";

export type DecisionStatusAtCut = "FINAL" | "SUPERSEDED" | "DECLINED" | "PENDING_CONFIRMATION";

/**
 * A decision's status at the cut, from the seqs of its events up to the cut: the table's
 * status is today's, and a label reopened after the cut was still final at it.
 */
export function decisionStatusAt(seqs: {
  finalizedSeq: bigint | null;
  declinedSeq: bigint | null;
  reopenedSeq: bigint | null;
}): DecisionStatusAtCut {
  if (seqs.reopenedSeq !== null) return "SUPERSEDED";
  if (seqs.finalizedSeq !== null) return "FINAL";
  if (seqs.declinedSeq !== null) return "DECLINED";
  return "PENDING_CONFIRMATION";
}

/** A stored seq (bigint) as a JSON number; seqs stay far below 2^53. */
const seqNumber = (seq: bigint | null): number | null => (seq === null ? null : Number(seq));

export type VoteRecord = {
  voteId: string;
  raterId: string;
  raterPseudonym: string;
  datapointId: string;
  externalId: string;
  batch: string;
  kind: Kind;
  option: string;
  /** As in the vote's audit event: rationales are not published, only their SHA-256. */
  rationaleSha256: string | null;
  shown: unknown;
  auditSeq: bigint;
  castAt: Date;
};

/** One voter's vote on one datapoint as of the cut: their latest vote at or before it. */
export function voteRow(vote: VoteRecord) {
  return {
    vote_id: vote.voteId,
    rater_id: vote.raterId,
    rater_pseudonym: vote.raterPseudonym,
    datapoint_id: vote.datapointId,
    external_id: vote.externalId,
    batch: vote.batch,
    kind: vote.kind,
    option: vote.option,
    rationale_sha256: vote.rationaleSha256,
    shown: vote.shown,
    audit_seq: Number(vote.auditSeq),
    cast_at: vote.castAt.toISOString(),
  };
}

export type DecisionRecord = {
  id: string;
  datapointId: string;
  externalId: string;
  batch: string;
  kind: Kind;
  label: string;
  isOverride: boolean;
  overrideReason: string | null;
  rationale: string;
  moderatorId: string;
  moderatorPseudonym: string;
  confirmedById: string | null;
  confirmedByPseudonym: string | null;
  confirmedAt: Date | null;
  createdAt: Date;
  policyHash: string;
  lastSeq: bigint;
  voteDigest: string;
  tally: string;
  recordedSeq: bigint;
  finalizedSeq: bigint | null;
  declinedSeq: bigint | null;
  reopenedSeq: bigint | null;
};

/**
 * A decision record. `tally` is the stored canonical JSON text, so SHA-256(tally) is the
 * tallyHash of its decision.finalized event; the *_seq columns point into audit.jsonl.
 */
export function decisionRow(record: DecisionRecord) {
  const status = decisionStatusAt(record);
  // A confirmation after the cut is not part of the record as of the cut.
  const confirmed = record.finalizedSeq !== null && record.confirmedById !== null;
  return {
    decision_id: record.id,
    datapoint_id: record.datapointId,
    external_id: record.externalId,
    batch: record.batch,
    kind: record.kind,
    label: record.label,
    status,
    is_override: record.isOverride,
    override_reason: record.overrideReason,
    rationale: record.rationale,
    moderator_id: record.moderatorId,
    moderator_pseudonym: record.moderatorPseudonym,
    confirmed_by_id: confirmed ? record.confirmedById : null,
    confirmed_by_pseudonym: confirmed ? record.confirmedByPseudonym : null,
    confirmed_at: confirmed ? (record.confirmedAt?.toISOString() ?? null) : null,
    created_at: record.createdAt.toISOString(),
    policy_hash: record.policyHash,
    last_seq: Number(record.lastSeq),
    vote_digest: record.voteDigest,
    tally: record.tally,
    recorded_seq: Number(record.recordedSeq),
    finalized_seq: seqNumber(record.finalizedSeq),
    declined_seq: seqNumber(record.declinedSeq),
    reopened_seq: seqNumber(record.reopenedSeq),
  };
}
