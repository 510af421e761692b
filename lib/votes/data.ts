import { db } from "@/lib/db";
import { summarizeCounts } from "@/lib/tally/counts";

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

/** Unweighted counts per option, computed in the database (one indexed GROUP BY). */
export async function getVoteCounts(datapointId: string, optionIds: string[]) {
  const groups = await db.vote.groupBy({ by: ["option"], where: { datapointId }, _count: { _all: true } });
  return summarizeCounts(optionIds, new Map(groups.map((g) => [g.option, g._count._all])));
}
