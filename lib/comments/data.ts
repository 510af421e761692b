import { cache } from "react";
import { z } from "zod";
import { reads, type Db } from "@/lib/db";
import { buildThread, commentState, type CommentState, type ThreadNode } from "./rules";

export type CommentVersionView = { version: number; body: string; createdAt: Date };

/** A comment as the public may see it: text only while visible, authors by public name only. */
export type PublicComment = {
  id: string;
  parentId: string | null;
  /** Used server-side to offer Edit/Delete to the author; never rendered. */
  authorId: string;
  /** Display name, else pseudonym; never the email. */
  authorName: string;
  state: CommentState;
  /** Markdown source; null unless the comment is visible. */
  body: string | null;
  /** The moderators' public reason, when hidden. */
  hiddenReason: string | null;
  version: number;
  createdAt: Date;
  editedAt: Date | null;
  /** When it was withdrawn, hidden or redacted: what the edit/delete/reply rules look at. */
  deletedAt: Date | null;
  hiddenAt: Date | null;
  redactedAt: Date | null;
  /** Earlier versions (oldest first) of a visible, edited comment; empty otherwise. */
  earlierVersions: CommentVersionView[];
};

export type ThreadView = { comments: number; nodes: ThreadNode<PublicComment>[] };

/**
 * The whole discussion of a datapoint as a display tree, oldest first. The comments, their
 * authors and the earlier versions of edited ones are three queries sent together (relation
 * reads would send them one after another).
 */
export async function getThread(datapointId: string): Promise<ThreadView> {
  if (!isId(datapointId)) return { comments: 0, nodes: [] };
  const [rows, authors, versions] = await reads.page((db) => readThread(db, datapointId));
  const authorName = new Map(authors.map((a) => [a.id, a.name ?? a.pseudonym]));
  const earlier = new Map<string, CommentVersionView[]>();
  for (const v of versions) {
    const list = earlier.get(v.commentId) ?? [];
    list.push({ version: v.version, body: v.body ?? "", createdAt: v.createdAt });
    earlier.set(v.commentId, list);
  }

  const comments = rows.map((r): PublicComment => {
    const state = commentState(r);
    return {
      id: r.id,
      parentId: r.parentId,
      authorId: r.authorId,
      authorName: authorName.get(r.authorId)!,
      state,
      body: state === "visible" ? r.body : null,
      hiddenReason: state === "hidden" ? r.hiddenReason : null,
      version: r.currentVersion,
      createdAt: r.createdAt,
      editedAt: r.editedAt,
      deletedAt: r.deletedAt,
      hiddenAt: r.hiddenAt,
      redactedAt: r.redactedAt,
      earlierVersions: (earlier.get(r.id) ?? []).filter((v) => v.version < r.currentVersion),
    };
  });
  return { comments: comments.length, nodes: buildThread(comments) };
}

/** The comments, their authors and the earlier versions of edited ones, from one source. */
async function readThread(db: Db, datapointId: string) {
  const [rows, authors, versions] = await Promise.all([
    db.comment.findMany({
      where: { datapointId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        parentId: true,
        authorId: true,
        body: true,
        currentVersion: true,
        createdAt: true,
        editedAt: true,
        deletedAt: true,
        hiddenAt: true,
        hiddenReason: true,
        redactedAt: true,
      },
    }),
    db.user.findMany({
      where: { comments: { some: { datapointId } } },
      select: { id: true, name: true, pseudonym: true },
    }),
    // Earlier texts are public only while the comment is visible (see commentState).
    db.commentVersion.findMany({
      where: {
        body: { not: null },
        comment: { datapointId, currentVersion: { gt: 1 }, deletedAt: null, hiddenAt: null, redactedAt: null },
      },
      orderBy: [{ commentId: "asc" }, { version: "asc" }],
      select: { commentId: true, version: true, body: true, createdAt: true },
    }),
  ]);
  // A comment by a first-time commenter that arrived between the reads: read its author too.
  const known = new Set(authors.map((a) => a.id));
  const missing = [...new Set(rows.map((r) => r.authorId))].filter((id) => !known.has(id));
  if (missing.length)
    authors.push(
      ...(await db.user.findMany({
        where: { id: { in: missing } },
        select: { id: true, name: true, pseudonym: true },
      })),
    );
  return [rows, authors, versions] as const;
}

/**
 * Every version of a comment, oldest first, or null when its history is not public:
 * after deletion, moderation or redaction the earlier texts are withdrawn too.
 */
export async function getCommentHistory(commentId: string): Promise<CommentVersionView[] | null> {
  if (!isId(commentId)) return null;
  const comment = await reads.page((db) =>
    db.comment.findUnique({
      where: { id: commentId },
      select: {
        deletedAt: true,
        hiddenAt: true,
        redactedAt: true,
        versions: { orderBy: { version: "asc" }, select: { version: true, body: true, createdAt: true } },
      },
    }),
  );
  if (!comment || commentState(comment) !== "visible") return null;
  return comment.versions.flatMap((v) =>
    v.body === null ? [] : [{ version: v.version, body: v.body, createdAt: v.createdAt }],
  );
}

export type OwnFlags = { datapoint: boolean; commentIds: Set<string> };

/**
 * What this user already flagged on a datapoint's page, so no second flag is offered. One
 * read per request: the page's flag form and its discussion both ask.
 */
export const getOwnFlags = cache(async (userId: string, datapointId: string): Promise<OwnFlags> => {
  if (!isId(userId) || !isId(datapointId)) return { datapoint: false, commentIds: new Set() };
  const rows = await reads.page((db) =>
    db.flag.findMany({
      where: { reporterId: userId, OR: [{ datapointId }, { comment: { datapointId } }] },
      select: { datapointId: true, commentId: true },
    }),
  );
  return {
    datapoint: rows.some((r) => r.datapointId === datapointId),
    commentIds: new Set(rows.flatMap((r) => (r.commentId ? [r.commentId] : []))),
  };
});

// Ids come from URLs and forms; a malformed one is simply not found (PostgreSQL would throw).
const isId = (value: string) => z.uuid().safeParse(value).success;
