// Pure rules of deciding a label: who may decide, recusal, and the digest of the votes used.
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex, toHex } from "@/lib/audit/hash";
import type { RoleName } from "@/lib/users/schema";

export const canDecide = (roles: readonly RoleName[]): boolean => roles.includes("MODERATOR");

export type Involvement = { voted: boolean; commented: boolean };

/** A moderator who took part in a datapoint's vote or discussion may not decide it. */
export function recusal(involvement: Involvement): string | null {
  if (involvement.voted && involvement.commented)
    return "You voted on and discussed this datapoint, so another moderator must decide it.";
  if (involvement.voted) return "You voted on this datapoint, so another moderator must decide it.";
  if (involvement.commented)
    return "You took part in this datapoint's discussion, so another moderator must decide it.";
  return null;
}

/** SHA-256 over the vote events a tally counted: [seq, leaf hash] pairs in seq order. */
export function voteDigest(events: readonly { seq: bigint; leafHash: Uint8Array }[]): string {
  const pairs = [...events]
    .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
    .map((e) => [Number(e.seq), toHex(e.leafHash)]);
  return sha256Hex(canonicalJson(pairs));
}

export type QueueState = "DECIDED" | "UNDECIDED" | "REOPENED" | "FLAGGED";

/** Readiness order of the moderators' queue: decided tallies first, then contested, then flagged. */
export const QUEUE_ORDER: Record<QueueState, number> = { DECIDED: 0, UNDECIDED: 1, REOPENED: 2, FLAGGED: 3 };
