import type { Tx } from "@/lib/db-types";
import { RATE_LIMITS, rateLimitVerdict, type LimitedAction, type LimitVerdict } from "./rules";

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
  { locked = false }: { locked?: boolean } = {},
): Promise<LimitVerdict> {
  if (!locked) await lockUserAction(tx, action, userId);
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

/**
 * The per-user, per-action lock checkRateLimit takes, for a caller that needs it earlier:
 * held until the transaction ends, so the user's earlier requests of this kind have
 * committed or rolled back once it is granted. Pass `locked: true` to checkRateLimit then.
 */
export async function lockUserAction(tx: Tx, action: LimitedAction, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rate-limit:${action}:${userId}`}, 0))`;
}
