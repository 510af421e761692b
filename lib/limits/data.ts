import type { Tx } from "@/lib/database/types";
import { RATE_LIMITS, rateLimitLockKey, rateLimitVerdict, type LimitedAction, type LimitVerdict } from "./rules";

/**
 * Check inside the caller's transaction, against the user's own recent rows. The caller then
 * inserts its row in the same transaction; a per-user, per-action lock held until it commits
 * makes the user's concurrent requests count one after another, so a burst cannot slip past
 * the limit between one request's count and its insert.
 */
export async function checkRateLimit(
  tx: Tx,
  action: LimitedAction,
  userId: string,
  now = new Date(),
): Promise<LimitVerdict> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${rateLimitLockKey(action, userId)}, 0))`;
  const { max, windowSeconds } = RATE_LIMITS[action];
  const since = new Date(now.getTime() - windowSeconds * 1000);
  const rows =
    action === "vote"
      ? await tx.voteHistory.findMany({
          where: { userId, createdAt: { gt: since } },
          select: { createdAt: true },
          orderBy: { createdAt: "desc" },
          take: max,
        })
      : action === "comment"
        ? await tx.comment.findMany({
            where: { authorId: userId, createdAt: { gt: since } },
            select: { createdAt: true },
            orderBy: { createdAt: "desc" },
            take: max,
          })
        : await tx.flag.findMany({
            where: { reporterId: userId, createdAt: { gt: since } },
            select: { createdAt: true },
            orderBy: { createdAt: "desc" },
            take: max,
          });
  return rateLimitVerdict(
    action,
    rows.map((r) => r.createdAt),
    now,
  );
}
