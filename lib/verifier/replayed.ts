// The events the decision replay reads. A module of its own, so the worker threads that check
// the trail's lines (trail-lines.ts) can pick them out without loading the tally engine.
import { hash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/canonical";
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
  "decision.override_proposed",
  "decision.finalized",
  "decision.override_declined",
  "decision.reopened",
  "batch.opened",
  "batch.closed",
]);

/** Whether the replay reads `event`: votes count only on the datapoints it keeps. */
export function replayReads(event: AuditEvent, kept: ReadonlySet<string>): boolean {
  if (event.type === "vote.cast" || event.type === "vote.changed") return kept.has(event.datapointId);
  return REPLAYED_TYPES.has(event.type);
}

/** What votes.jsonl states of a vote that its event also states; see voteFingerprint. */
export type VoteFields = { voteId: string; option: string; rationaleHash: string | null; shown: unknown; at: string };

/**
 * 16 bytes (hex) standing for a vote's own fields, so every vote in a log of millions can be
 * compared with its row in votes.jsonl without keeping the events: the same for the event and
 * for a row that states the same vote. Times are compared as instants.
 */
export function voteFingerprint({ voteId, option, rationaleHash, shown, at }: VoteFields): string {
  const text = JSON.stringify([voteId, option, rationaleHash, shownFields(shown), instant(at)]);
  return hash("sha256", text, "hex").slice(0, 32);
}

/** What a vote's `shown` states, in a fixed order (the event schema allows exactly these fields); anything else as canonical JSON. */
function shownFields(shown: unknown): unknown {
  const value = shown as { order?: unknown; proposedLabelVisible?: unknown; tallyVisible?: unknown } | null;
  if (value && typeof value === "object" && Object.keys(value).length === 3 && Array.isArray(value.order)) {
    return [value.order, value.proposedLabelVisible, value.tallyVisible];
  }
  return canonicalJson(shown ?? null);
}

const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant in toISOString's form, so "…:00Z" and "…:00.000Z" compare equal. */
function instant(at: string): string {
  if (ISO_MILLISECONDS.test(at)) return at;
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : new Date(time).toISOString();
}
