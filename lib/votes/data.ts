import { reads } from "@/lib/db";

/** The user's current vote on a datapoint and how often they changed it. */
export async function getMyVote(datapointId: string, userId: string) {
  // The voter's own vote: right after they vote, their writer cookie keeps this on the primary
  // until the replica has it (lib/database/read-routing.ts).
  const [vote, versions] = await reads.page((db) =>
    Promise.all([
      db.vote.findUnique({
        where: { datapointId_userId: { datapointId, userId } },
        select: { option: true, rationale: true, updatedAt: true },
      }),
      db.voteHistory.count({ where: { datapointId, userId } }),
    ]),
  );
  return vote ? { ...vote, changes: Math.max(0, versions - 1) } : null;
}
