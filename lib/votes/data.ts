import { db } from "@/lib/db";

/** The user's current vote on a datapoint and how often they changed it. */
export async function getMyVote(datapointId: string, userId: string) {
  const [vote, versions] = await Promise.all([
    db.vote.findUnique({
      where: { datapointId_userId: { datapointId, userId } },
      select: { option: true, rationale: true, updatedAt: true },
    }),
    db.voteHistory.count({ where: { datapointId, userId } }),
  ]);
  return vote ? { ...vote, changes: Math.max(0, versions - 1) } : null;
}
