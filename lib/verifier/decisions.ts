// Recomputing recorded decisions from the audit log: replay the events up to each decision's
// lastSeq, tally with lib/tally under the recorded policy, and compare byte for byte.
import { canonicalJson } from "@/lib/audit/canonical";
import type { AuditEvent } from "@/lib/audit/events";
import { sha256Hex } from "@/lib/audit/hash";
import { voteDigest } from "@/lib/decisions/rules";
import { TallyFacts } from "@/lib/tally/from-log";
import { tallyDatapoint } from "@/lib/tally/tally";
import { z } from "zod";
import { replayReads } from "./replayed";

export const releasedDecisionSchema = z.object({
  decision_id: z.string(),
  datapoint_id: z.string(),
  label: z.string(),
  is_override: z.boolean(),
  policy_hash: z.string(),
  last_seq: z.number().int(),
  vote_digest: z.string(),
  tally: z.string(),
  recorded_seq: z.number().int().nullable().optional(),
  finalized_seq: z.number().int().nullable().optional(),
});
export type ReleasedDecision = z.infer<typeof releasedDecisionSchema>;
export type Finding = { code: string; seq?: number; file?: string; detail: string };

/**
 * Whether a record says its tally was made under the reliability policy, which reads the
 * votes on every finalized datapoint. A hint for what the replay keeps, read before the
 * records are checked; a wrong one is caught by the replay (see DecisionChecker.incomplete).
 */
export function readsHistory(records: readonly ReleasedDecision[]): boolean {
  return records.some((record) => {
    try {
      return (JSON.parse(record.tally) as { policyKind?: unknown } | null)?.policyKind === "reliability";
    } catch {
      return false;
    }
  });
}

/**
 * Replays events in seq order and checks each decision when the log reaches its lastSeq.
 *
 * Votes are kept only on the datapoints a check can read: those of the decision records, and
 * `alsoKept` (for a reliability policy, the finalized datapoints whose votes make its history).
 * A million votes held in memory would otherwise dominate the replay. When a reliability tally
 * needs a finalized datapoint that was not kept, `incomplete` is set and the replay must run
 * again with `finalizedDatapoints` kept as well.
 */
export class DecisionChecker {
  private readonly facts = new TallyFacts();
  /** datapoint → voter → latest vote event */
  private readonly latestVote = new Map<string, Map<string, { seq: bigint; leafHash: Uint8Array }>>();
  private readonly pending: ReleasedDecision[];
  private readonly byId: Map<string, ReleasedDecision>;
  readonly kept: ReadonlySet<string>;
  /** Every datapoint a decision.finalized event of the replay named. */
  readonly finalizedDatapoints = new Set<string>();
  /** A reliability tally read the votes of a datapoint that was not kept: replay again. */
  incomplete = false;
  readonly findings: Finding[] = [];
  checked = 0;

  constructor(records: ReleasedDecision[], alsoKept: Iterable<string> = []) {
    this.pending = [...records].sort((a, b) => a.last_seq - b.last_seq);
    this.byId = new Map(records.map((r) => [r.decision_id, r]));
    this.kept = new Set([...records.map((r) => r.datapoint_id), ...alsoKept]);
  }

  /** Apply an event that the chain verifier accepted; `seq` is its position. */
  apply(seq: number, event: AuditEvent, leafHash: Uint8Array): void {
    if (!replayReads(event, this.kept)) return this.pass(seq);
    this.facts.apply(event);
    if (event.type === "vote.cast" || event.type === "vote.changed") {
      const voters = this.latestVote.get(event.datapointId) ?? new Map();
      // A copy: the caller's leaf may be a view into a worker's whole chunk of results.
      voters.set(event.actorId, { seq: BigInt(seq), leafHash: Uint8Array.from(leafHash) });
      this.latestVote.set(event.datapointId, voters);
    }
    if (event.type === "decision.finalized") {
      this.finalizedDatapoints.add(event.datapointId);
      this.checkEvent(seq, event);
    }
    this.pass(seq);
  }

  /** An accepted event the replay does not read (see replayReads): only the position moves. */
  pass(seq: number): void {
    while (this.pending.length && this.pending[0]!.last_seq <= seq) this.recompute(this.pending.shift()!);
  }

  /** Decisions whose lastSeq the log never reached. */
  finish(): void {
    for (const record of this.pending) {
      this.findings.push({
        code: "DECISION_BEYOND_LOG",
        seq: record.last_seq,
        detail: `decision ${record.decision_id} considered events up to seq ${record.last_seq}, past the end of the trail`,
      });
    }
  }

  private recompute(record: ReleasedDecision): void {
    const seq = record.finalized_seq ?? record.recorded_seq ?? record.last_seq;
    let recorded: { asOf: string; outcome: { kind: string; option?: string } };
    let output: string;
    try {
      recorded = JSON.parse(record.tally) as typeof recorded;
      if (typeof recorded?.asOf !== "string") throw new TypeError("the recorded tally is not a tally");
      const input = this.facts.inputFor(record.datapoint_id, recorded.asOf);
      if (input.reliability?.finalized.some((f) => !this.kept.has(f.datapointId))) {
        this.incomplete = true;
        return;
      }
      output = canonicalJson(tallyDatapoint(input));
    } catch (error) {
      this.findings.push({
        code: "TALLY_NOT_RECOMPUTABLE",
        seq,
        detail: `decision ${record.decision_id}: ${(error as Error).message}`,
      });
      return;
    }
    this.checked += 1;
    if (output !== record.tally) {
      this.findings.push({
        code: "TALLY_MISMATCH",
        seq,
        detail: `decision ${record.decision_id} on datapoint ${record.datapoint_id}: the recomputed tally differs from the recorded one`,
      });
    }
    if (!record.is_override && (recorded?.outcome?.kind !== "decided" || recorded.outcome.option !== record.label)) {
      this.findings.push({
        code: "LABEL_NOT_TALLY",
        seq,
        detail: `decision ${record.decision_id} accepted "${record.label}", which is not its tally's outcome`,
      });
    }
    const votes = [...(this.latestVote.get(record.datapoint_id)?.values() ?? [])];
    if (voteDigest(votes) !== record.vote_digest) {
      this.findings.push({
        code: "VOTE_DIGEST_MISMATCH",
        seq,
        detail: `decision ${record.decision_id}: the votes up to seq ${record.last_seq} do not match its vote digest`,
      });
    }
  }

  private checkEvent(seq: number, event: Extract<AuditEvent, { type: "decision.finalized" }>): void {
    const record = this.byId.get(event.decisionId);
    if (!record) return; // a release filtered by batch holds only its own decision records
    const same =
      record.label === event.label &&
      record.policy_hash === event.policyHash &&
      record.last_seq === event.lastSeq &&
      record.vote_digest === event.voteDigest &&
      record.is_override === event.isOverride &&
      sha256Hex(record.tally) === event.tallyHash;
    if (!same)
      this.findings.push({
        code: "DECISION_RECORD_MISMATCH",
        seq,
        detail: `decision ${event.decisionId}: decisions.jsonl does not match its decision.finalized event`,
      });
  }
}
