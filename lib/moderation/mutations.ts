// Moderating the discussion: hide and unhide comments with a reason, automatic hiding after
// enough flags, dismissing flags. Each step is one transaction with its audit event.
import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import type { Tx } from "@/lib/database/types";
import { moderatorIn } from "@/lib/decisions/mutations";
import { autoHideReason, shouldAutoHide } from "./rules";

export type ModerationResult =
  { ok: true } | { ok: false; reason: "NOT_ALLOWED" | "NOT_FOUND" | "ALREADY" | "REDACTED"; message: string };

const NOT_ALLOWED: ModerationResult = {
  ok: false,
  reason: "NOT_ALLOWED",
  message: "Only moderators can moderate the discussion.",
};

async function lockComment(tx: Tx, commentId: string) {
  await tx.$queryRaw`SELECT id FROM comments WHERE id = ${commentId}::uuid FOR UPDATE`;
  return tx.comment.findUnique({
    where: { id: commentId },
    select: { datapointId: true, hiddenAt: true, redactedAt: true, deletedAt: true },
  });
}

async function resolveCommentFlags(tx: Tx, commentId: string, resolution: string, moderatorId: string | null) {
  await tx.flag.updateMany({
    where: { commentId, resolvedAt: null },
    data: { resolvedAt: new Date(), resolvedById: moderatorId, resolution },
  });
}

export async function hideComment(commentId: string, reason: string, moderatorId: string): Promise<ModerationResult> {
  return db.$transaction(async (tx) => {
    if (!(await moderatorIn(tx, moderatorId))) return NOT_ALLOWED;
    const comment = await lockComment(tx, commentId);
    if (!comment) return { ok: false, reason: "NOT_FOUND", message: "This comment does not exist." };
    if (comment.redactedAt)
      return { ok: false, reason: "REDACTED", message: "This comment was redacted; there is nothing left to hide." };
    // An automatic hide awaiting review is confirmed by a moderator's hide, with their reason.
    await tx.comment.update({
      where: { id: commentId },
      data: { hiddenAt: comment.hiddenAt ?? new Date(), hiddenReason: reason, hiddenById: moderatorId },
    });
    await resolveCommentFlags(tx, commentId, `hidden: ${reason}`, moderatorId);
    await appendEvent(tx, {
      type: "comment.hidden",
      actorId: moderatorId,
      commentId,
      datapointId: comment.datapointId,
      reason,
      automatic: false,
    });
    return { ok: true };
  });
}

/**
 * Keep a flagged comment: a hidden one is shown again (comment.unhidden, which resolves its
 * flags); a visible one keeps showing and each open flag is dismissed with this reason.
 */
export async function keepComment(commentId: string, reason: string, moderatorId: string): Promise<ModerationResult> {
  return db.$transaction(async (tx) => {
    if (!(await moderatorIn(tx, moderatorId))) return NOT_ALLOWED;
    const comment = await lockComment(tx, commentId);
    if (!comment) return { ok: false, reason: "NOT_FOUND", message: "This comment does not exist." };
    if (comment.hiddenAt) {
      await tx.comment.update({
        where: { id: commentId },
        data: { hiddenAt: null, hiddenReason: null, hiddenById: null },
      });
      await resolveCommentFlags(tx, commentId, `kept: ${reason}`, moderatorId);
      await appendEvent(tx, {
        type: "comment.unhidden",
        actorId: moderatorId,
        commentId,
        datapointId: comment.datapointId,
        reason,
      });
      return { ok: true };
    }
    const open = await tx.flag.findMany({ where: { commentId, resolvedAt: null }, select: { id: true } });
    if (open.length === 0)
      return { ok: false, reason: "ALREADY", message: "This comment is visible and has no open flags." };
    for (const { id } of open) {
      await tx.flag.update({
        where: { id },
        data: { resolvedAt: new Date(), resolvedById: moderatorId, resolution: `dismissed: ${reason}` },
      });
      await appendEvent(tx, {
        type: "flag.dismissed",
        actorId: moderatorId,
        flagId: id,
        datapointId: comment.datapointId,
        reason,
      });
    }
    return { ok: true };
  });
}

/** Inside the flagging transaction: hide the comment once enough flags are open on it. */
export async function autoHideIfFlaggedIn(tx: Tx, commentId: string): Promise<boolean> {
  const comment = await lockComment(tx, commentId);
  if (!comment || comment.redactedAt || comment.deletedAt) return false;
  const open = await tx.flag.count({ where: { commentId, resolvedAt: null } });
  if (!shouldAutoHide(open, !!comment.hiddenAt)) return false;
  const reason = autoHideReason(open);
  await tx.comment.update({
    where: { id: commentId },
    data: { hiddenAt: new Date(), hiddenReason: reason, hiddenById: null },
  });
  await appendEvent(tx, {
    type: "comment.hidden",
    actorId: null,
    commentId,
    datapointId: comment.datapointId,
    reason,
    automatic: true,
  });
  return true;
}

export async function dismissFlag(flagId: string, reason: string, moderatorId: string): Promise<ModerationResult> {
  return db.$transaction(async (tx) => {
    if (!(await moderatorIn(tx, moderatorId))) return NOT_ALLOWED;
    const flag = await tx.flag.findUnique({
      where: { id: flagId },
      include: { comment: { select: { datapointId: true } } },
    });
    if (!flag) return { ok: false, reason: "NOT_FOUND", message: "This flag does not exist." };
    if (flag.resolvedAt) return { ok: false, reason: "ALREADY", message: "This flag was already resolved." };
    await tx.flag.update({
      where: { id: flagId },
      data: { resolvedAt: new Date(), resolvedById: moderatorId, resolution: `dismissed: ${reason}` },
    });
    const datapointId = flag.datapointId ?? flag.comment!.datapointId;
    await appendEvent(tx, { type: "flag.dismissed", actorId: moderatorId, flagId, datapointId, reason });
    return { ok: true };
  });
}
