// Writes of the discussion. Each runs in one transaction with its audit event; bodies
// enter the log only as SHA-256 hashes, so text can later be redacted without breaking
// the chain. Expected refusals are returned with a reason code, never thrown.
import { z } from "zod";
import { appendEvent } from "@/lib/audit/append";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import type { Tx } from "@/lib/database/types";
import { checkRateLimit } from "@/lib/limits/data";
import { autoHideIfFlaggedIn } from "@/lib/moderation/mutations";
import {
  canRedact,
  deleteRefusal,
  editLimitRefusal,
  editRefusal,
  flagRefusal,
  replyRefusal,
  type Refusal,
} from "./rules";
import { commentBodySchema, flagSchema, newCommentSchema, redactionSchema, type NewFlag } from "./schema";

type FailureReason =
  | Refusal["reason"]
  | "INVALID"
  | "SIGNED_OUT"
  | "NOT_FOUND"
  | "NOT_PUBLIC"
  | "PARENT_MISMATCH"
  | "RATE_LIMITED"
  | "NOT_ALLOWED"
  | "ALREADY_FLAGGED";
type Failure = { ok: false; reason: FailureReason; message: string };
export type Outcome<T extends object> = ({ ok: true } & T) | Failure;
type Changed = { commentId: string; datapointId: string };

const refuse = (reason: FailureReason, message: string): Failure => ({ ok: false, reason, message });
const invalid = (error: z.ZodError): Failure =>
  refuse("INVALID", error.issues[0]?.message ?? "Please check your input.");
const SIGNED_OUT = refuse("SIGNED_OUT", "Please sign in first.");
const COMMENT_NOT_FOUND = refuse("NOT_FOUND", "This comment does not exist.");

/**
 * Lock the acting user's row for the rest of the transaction: it proves the account is
 * live, and it serialises that user's writes so the rate-limit count and the one-flag-per-
 * target check cannot be raced by parallel requests.
 */
async function lockActiveUser(tx: Tx, userId: string): Promise<boolean> {
  if (!z.uuid().safeParse(userId).success) return false;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE id = ${userId}::uuid AND deleted_at IS NULL FOR NO KEY UPDATE`;
  return rows.length === 1;
}

/** The comment's current state, locked so concurrent edits cannot both take the same version. */
async function lockComment(tx: Tx, commentId: string) {
  if (!z.uuid().safeParse(commentId).success) return null;
  await tx.$queryRaw`SELECT id FROM comments WHERE id = ${commentId}::uuid FOR UPDATE`;
  return tx.comment.findUnique({
    where: { id: commentId },
    select: {
      id: true,
      datapointId: true,
      authorId: true,
      body: true,
      currentVersion: true,
      createdAt: true,
      deletedAt: true,
      hiddenAt: true,
      redactedAt: true,
    },
  });
}

/** Post a top-level comment or a reply, as version 1. */
export async function postComment(
  input: { datapointId: string; parentId?: string; body: string },
  userId: string,
): Promise<Outcome<Changed>> {
  const parsed = newCommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { datapointId, parentId, body } = parsed.data;
  return db.$transaction(async (tx): Promise<Outcome<Changed>> => {
    if (!(await lockActiveUser(tx, userId))) return SIGNED_OUT;
    const datapoint = await tx.datapoint.findUnique({ where: { id: datapointId }, select: { status: true } });
    if (!datapoint) return refuse("NOT_FOUND", "This datapoint does not exist.");
    if (datapoint.status === "DRAFT")
      return refuse("NOT_PUBLIC", "This datapoint is not published yet, so it cannot be discussed.");
    if (parentId) {
      const parent = await tx.comment.findUnique({
        where: { id: parentId },
        select: { datapointId: true, deletedAt: true, hiddenAt: true, redactedAt: true },
      });
      if (!parent || parent.datapointId !== datapointId) {
        return refuse("PARENT_MISMATCH", "You can only reply to a comment in this datapoint's discussion.");
      }
      const refusal = replyRefusal(parent);
      if (refusal) return refuse(refusal.reason, refusal.message);
    }
    const limit = await checkRateLimit(tx, "comment", userId);
    if (!limit.ok) return refuse("RATE_LIMITED", limit.message);

    const bodyHash = sha256Hex(body);
    const comment = await tx.comment.create({
      data: {
        datapointId,
        parentId: parentId ?? null,
        authorId: userId,
        body,
        versions: { create: { version: 1, body, bodyHash } },
      },
      select: { id: true },
    });
    await appendEvent(tx, {
      type: "comment.posted",
      actorId: userId,
      commentId: comment.id,
      datapointId,
      parentId: parentId ?? null,
      bodyHash,
    });
    return { ok: true, commentId: comment.id, datapointId };
  });
}

/** Edit one's own comment: a new version; the earlier ones stay as its public history. */
export async function editComment(
  commentId: string,
  body: string,
  userId: string,
): Promise<Outcome<Changed & { version: number; unchanged: boolean }>> {
  const parsed = commentBodySchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const text = parsed.data;
  return db.$transaction(async (tx): Promise<Outcome<Changed & { version: number; unchanged: boolean }>> => {
    if (!(await lockActiveUser(tx, userId))) return SIGNED_OUT;
    const comment = await lockComment(tx, commentId);
    if (!comment) return COMMENT_NOT_FOUND;
    const refusal = editRefusal(comment, userId);
    if (refusal) return refuse(refusal.reason, refusal.message);
    // Saving the same text again is not an edit: no version, no "edited" mark, no event.
    if (text === comment.body)
      return {
        ok: true,
        commentId,
        datapointId: comment.datapointId,
        version: comment.currentVersion,
        unchanged: true,
      };
    // Counted from the row locked above, so parallel edits cannot pass the limit together.
    const limit = editLimitRefusal(comment, new Date());
    if (limit) return refuse(limit.reason, limit.message);

    const version = comment.currentVersion + 1;
    const bodyHash = sha256Hex(text);
    await tx.commentVersion.create({ data: { commentId, version, body: text, bodyHash } });
    await tx.comment.update({
      where: { id: commentId },
      data: { body: text, currentVersion: version, editedAt: new Date() },
    });
    await appendEvent(tx, {
      type: "comment.edited",
      actorId: userId,
      commentId,
      datapointId: comment.datapointId,
      version,
      bodyHash,
    });
    return { ok: true, commentId, datapointId: comment.datapointId, version, unchanged: false };
  });
}

/**
 * The author withdraws a comment. It becomes a tombstone (body "", deletedAt) so replies
 * keep their place. Its versions keep their text, never shown publicly again (the data
 * layer withholds the history of any comment that is not visible): moderators may still
 * need what was said to handle a flag, and if the text itself must go (personal data, a
 * legal request) that is redaction, which nulls every version.
 */
export async function deleteComment(commentId: string, userId: string): Promise<Outcome<Changed>> {
  return db.$transaction(async (tx): Promise<Outcome<Changed>> => {
    if (!(await lockActiveUser(tx, userId))) return SIGNED_OUT;
    const comment = await lockComment(tx, commentId);
    if (!comment) return COMMENT_NOT_FOUND;
    const refusal = deleteRefusal(comment, userId);
    if (refusal) return refuse(refusal.reason, refusal.message);

    await tx.comment.update({ where: { id: commentId }, data: { body: "", deletedAt: new Date() } });
    await appendEvent(tx, { type: "comment.deleted", actorId: userId, commentId, datapointId: comment.datapointId });
    return { ok: true, commentId, datapointId: comment.datapointId };
  });
}

/**
 * Legal removal by a moderator or admin: every stored text of the comment is erased. The
 * audit chain stays valid because the log only ever held the bodies' hashes.
 */
export async function redactComment(commentId: string, reason: string, actorId: string): Promise<Outcome<Changed>> {
  const parsed = redactionSchema.safeParse({ commentId, reason });
  if (!parsed.success) return invalid(parsed.error);
  return db.$transaction(async (tx): Promise<Outcome<Changed>> => {
    if (!(await lockActiveUser(tx, actorId))) return SIGNED_OUT;
    const roles = await tx.userRole.findMany({ where: { userId: actorId }, select: { role: true } });
    if (!canRedact({ roles: roles.map((r) => r.role) }))
      return refuse("NOT_ALLOWED", "Only moderators and admins can redact comments.");
    const comment = await lockComment(tx, commentId);
    if (!comment) return COMMENT_NOT_FOUND;
    if (comment.redactedAt) return refuse("REDACTED", "This comment has already been redacted.");

    await tx.commentVersion.updateMany({ where: { commentId }, data: { body: null } });
    await tx.comment.update({ where: { id: commentId }, data: { body: "", redactedAt: new Date() } });
    await appendEvent(tx, {
      type: "comment.redacted",
      actorId,
      commentId,
      datapointId: comment.datapointId,
      reason: parsed.data.reason,
    });
    return { ok: true, commentId, datapointId: comment.datapointId };
  });
}

/** Flag a comment or a datapoint for moderators: once per reporter and target. */
export async function flag(input: NewFlag, userId: string): Promise<Outcome<{ flagId: string; datapointId: string }>> {
  const parsed = flagSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { target, id, reason, note } = parsed.data;
  return db.$transaction(async (tx): Promise<Outcome<{ flagId: string; datapointId: string }>> => {
    if (!(await lockActiveUser(tx, userId))) return SIGNED_OUT;
    let datapointId: string;
    if (target === "comment") {
      const comment = await tx.comment.findUnique({
        where: { id },
        select: { datapointId: true, deletedAt: true, hiddenAt: true, redactedAt: true },
      });
      if (!comment) return COMMENT_NOT_FOUND;
      const refusal = flagRefusal(comment);
      if (refusal) return refuse(refusal.reason, refusal.message);
      datapointId = comment.datapointId;
    } else {
      const datapoint = await tx.datapoint.findUnique({ where: { id }, select: { status: true } });
      if (!datapoint || datapoint.status === "DRAFT") return refuse("NOT_FOUND", "This datapoint does not exist.");
      datapointId = id;
    }
    const targetKey = target === "comment" ? { commentId: id } : { datapointId: id };
    if (await tx.flag.findFirst({ where: { reporterId: userId, ...targetKey }, select: { id: true } })) {
      return refuse("ALREADY_FLAGGED", `You have already flagged this ${target}; moderators will review it.`);
    }
    const limit = await checkRateLimit(tx, "flag", userId);
    if (!limit.ok) return refuse("RATE_LIMITED", limit.message);

    const created = await tx.flag.create({
      data: { reporterId: userId, ...targetKey, reason, note: note ?? null },
      select: { id: true },
    });
    await appendEvent(tx, {
      type: "flag.raised",
      actorId: userId,
      flagId: created.id,
      datapointId,
      commentId: target === "comment" ? id : null,
      reason,
    });
    if (target === "comment") await autoHideIfFlaggedIn(tx, id);
    return { ok: true, flagId: created.id, datapointId };
  });
}
