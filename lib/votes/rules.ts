// Pure voting rules: when a datapoint takes votes, which options are valid, the per-voter
// response order and what a voter gets to see (anti-herding).
import { createHash } from "node:crypto";
import { optionsView } from "@/lib/datapoints/rules";

type Kind = "PAIRWISE" | "RATING" | "CLASSIFICATION";
type Status = "DRAFT" | "OPEN" | "CLOSED" | "FINALIZED" | "REOPENED";

export type VotingState =
  { open: true } | { open: false; reason: "NOT_OPEN_YET" | "VOTING_CLOSED" | "FINALIZED"; message: string };

/** Server-side truth of whether a vote is accepted now: status and batch times must agree. */
export function votingState(status: Status, batch: { opensAt: Date; closesAt: Date }, now: Date): VotingState {
  if (status === "FINALIZED") {
    return {
      open: false,
      reason: "FINALIZED",
      message: "This datapoint's label has been finalized; voting is closed.",
    };
  }
  if (status === "DRAFT" || now < batch.opensAt) {
    return { open: false, reason: "NOT_OPEN_YET", message: "Voting on this datapoint has not opened yet." };
  }
  if (status === "CLOSED" || (status === "OPEN" && now >= batch.closesAt)) {
    return { open: false, reason: "VOTING_CLOSED", message: "Voting on this datapoint has closed." };
  }
  // REOPENED (after an accepted appeal) takes votes until a moderator closes it again.
  return { open: true };
}

export function isValidOption(kind: Kind, labelOptions: unknown, option: string): boolean {
  return optionsView(kind, labelOptions).options.some((o) => o.id === option);
}

/** A per-voter, per-datapoint shuffle that is random across voters but stable for each. */
export function responseOrder(userId: string, datapointId: string, responseIds: string[]): string[] {
  const keyed = responseIds.map((id) => ({
    id,
    key: createHash("sha256").update(`${userId}\u0000${datapointId}\u0000${id}`).digest("hex"),
  }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.id);
}

export type TallyVisibility = "AFTER_OWN_VOTE" | "AFTER_CLOSE";

/** Whether this person may see the tally now: never before their own vote while voting is open. */
export function tallyVisibleTo(setting: TallyVisibility, hasVoted: boolean, votingOpen: boolean): boolean {
  if (!votingOpen) return true;
  return setting === "AFTER_OWN_VOTE" && hasVoted;
}
