import type { Tx } from "@/lib/db-types";
import { RATE_LIMITS, rateLimitVerdict, type LimitedAction, type LimitVerdict } from "./rules";

/** Check inside the caller's transaction, against the user's own recent rows. */
export async function checkRateLimit(tx: Tx, action: LimitedAction, userId: string, now = new Date()): Promise<LimitVerdict> {
  const { max, windowSeconds } = RATE_LIMITS[action];
  const since = new Date(now.getTime() - windowSeconds * 1000);
  const rows =
    action === "vote"
      ? await tx.voteHistory.findMany({ where: { userId, createdAt: { gt: since } }, select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: max })
      : action === "comment"
        ? await tx.comment.findMany({ where: { authorId: userId, createdAt: { gt: since } }, select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: max })
        : await tx.flag.findMany({ where: { reporterId: userId, createdAt: { gt: since } }, select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: max });
  return rateLimitVerdict(action, rows.map((r) => r.createdAt), now);
}
