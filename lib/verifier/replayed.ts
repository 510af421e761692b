// The events the decision replay reads. A module of its own, so the worker threads that check
// the trail's lines (trail-lines.ts) can pick them out without loading the tally engine.
import type { AuditEvent, AuditEventType } from "@/lib/audit/events";

/**
 * What TallyFacts.apply keeps, and the vote and decision events DecisionChecker checks. Any
 * other event only moves the replay forward, so the worker threads send only these across.
 */
export const REPLAYED_TYPES: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  "policy.published",
  "batch.created",
  "batch.policy_changed",
  "datapoint.published",
  "user.created",
  "user.tier_changed",
  "user.strata_declared",
  "user.deleted",
  "vote.cast",
  "vote.changed",
  "decision.finalized",
  "decision.reopened",
]);

/** Whether the replay reads `event`: votes count only on the datapoints it keeps. */
export function replayReads(event: AuditEvent, kept: ReadonlySet<string>): boolean {
  if (event.type === "vote.cast" || event.type === "vote.changed") return kept.has(event.datapointId);
  return REPLAYED_TYPES.has(event.type);
}
