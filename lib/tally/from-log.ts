// Tally inputs rebuilt from the audit log alone. Every fact a weight depends on is an
// event: account creation and tier changes, declared strata, batch policies and their
// changes, votes and finalized decisions. Replaying the events up to any seq gives exactly
// the input the tally engine saw, so a researcher can recompute a label offline.
import type { AuditEvent } from "@/lib/audit/events";
import { policyDocumentSchema, type PolicyDocument } from "@/lib/voting-policies/schema";
import type { ReliabilityHistory, TallyInput, VoterFacts } from "./schema";

type Vote = { option: string; at: string };

export class TallyFacts {
  private readonly policies = new Map<string, PolicyDocument>();
  private readonly batchPolicy = new Map<string, string>();
  private readonly datapoints = new Map<string, { batchId: string; options: string[] }>();
  private readonly voters = new Map<string, VoterFacts>();
  /** datapoint → voter → latest vote */
  private readonly votes = new Map<string, Map<string, Vote>>();
  /** datapoint → decisionId and label of its current final decision */
  private readonly finalized = new Map<string, { decisionId: string; label: string }>();

  /** Apply one event (in seq order). */
  apply(event: AuditEvent): void {
    switch (event.type) {
      case "policy.published":
        this.policies.set(event.contentHash, policyDocumentSchema.parse(event.document));
        break;
      case "batch.created":
        this.batchPolicy.set(event.batchId, event.policyHash);
        break;
      case "batch.policy_changed":
        this.batchPolicy.set(event.batchId, event.policyHash);
        break;
      case "datapoint.published":
        this.datapoints.set(event.datapointId, { batchId: event.batchId, options: event.options });
        break;
      case "user.created":
        this.voters.set(event.userId, {
          voterId: event.userId,
          createdAt: event.at,
          verificationTier: event.verificationTier,
          strata: null,
        });
        break;
      case "user.tier_changed":
        this.updateVoter(event.userId, { verificationTier: event.verificationTier });
        break;
      case "user.strata_declared":
        this.updateVoter(event.userId, { strata: event.strata });
        break;
      case "user.deleted":
        this.updateVoter(event.userId, { strata: null });
        break;
      case "vote.cast":
      case "vote.changed": {
        const byVoter = this.votes.get(event.datapointId) ?? new Map<string, Vote>();
        byVoter.set(event.actorId, { option: event.option, at: event.at });
        this.votes.set(event.datapointId, byVoter);
        break;
      }
      case "decision.finalized":
        this.finalized.set(event.datapointId, { decisionId: event.decisionId, label: event.label });
        break;
      case "decision.reopened":
        if (this.finalized.get(event.datapointId)?.decisionId === event.decisionId)
          this.finalized.delete(event.datapointId);
        break;
      default:
        break;
    }
  }

  /** The tally input of a datapoint as the log stands after the events applied so far. */
  inputFor(datapointId: string, asOf: string): TallyInput {
    const datapoint = this.datapoints.get(datapointId);
    if (!datapoint) throw new TypeError(`datapoint ${datapointId} was never published`);
    const policyHash = this.batchPolicy.get(datapoint.batchId);
    const policy = policyHash ? this.policies.get(policyHash) : undefined;
    if (!policyHash || !policy) throw new TypeError(`the batch of ${datapointId} has no published policy`);
    const votes = [...(this.votes.get(datapointId) ?? new Map<string, Vote>())].map(([voterId, v]) => ({
      voterId,
      ...v,
    }));
    return {
      datapointId,
      options: datapoint.options,
      votes,
      voters: votes.map((v) => this.voter(v.voterId)),
      policy,
      policyHash,
      asOf,
      reliability: policy.kind === "reliability" ? this.history() : null,
    };
  }

  /**
   * Votes on datapoints with a final decision (not reopened since), those decisions' labels
   * and the datapoints' published options: the log's state after the events applied so far.
   */
  history(): ReliabilityHistory {
    const finalized = [...this.finalized].map(([datapointId, { label }]) => {
      const options = this.datapoints.get(datapointId)?.options;
      return options ? { datapointId, label, options } : { datapointId, label };
    });
    const votes = finalized.flatMap(({ datapointId }) =>
      [...(this.votes.get(datapointId) ?? new Map<string, Vote>())].map(([voterId, v]) => ({
        datapointId,
        voterId,
        option: v.option,
      })),
    );
    return { finalized, votes };
  }

  private voter(id: string): VoterFacts {
    const facts = this.voters.get(id);
    if (!facts) throw new TypeError(`voter ${id} has no user.created event`);
    return facts;
  }

  private updateVoter(id: string, change: Partial<VoterFacts>): void {
    this.voters.set(id, { ...this.voter(id), ...change });
  }
}
