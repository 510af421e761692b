// Pure rules of the discussion: how a thread is shaped for display and who may change a
// comment. No I/O, so the same rules hold in mutations (against fresh rows) and in the UI.

/** Replies nest visually up to this depth; deeper replies continue at this level. */
const THREAD_MAX_DEPTH = 4;

export type ThreadRow = { id: string; parentId: string | null; createdAt: Date };

export type ThreadNode<T extends ThreadRow> = {
  comment: T;
  /** Display depth, 0 for top-level comments, never above the cap. */
  depth: number;
  /**
   * The comment this one answers, when that is not evident from nesting: replies beyond
   * the depth cap are shown beside their parent, so they name it.
   */
  inReplyTo: T | null;
  /** Its parent is not in this thread (should not happen; shown at top level, not lost). */
  orphan: boolean;
  children: ThreadNode<T>[];
};

const chronological = (a: ThreadRow, b: ThreadRow) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Build the display tree from flat rows, oldest first at every level. A row is attached
 * only to a parent placed before it: a real parent is always older than its reply, and
 * this way corrupt data (a cycle, a parent on another datapoint) cannot hide comments.
 */
export function buildThread<T extends ThreadRow>(rows: readonly T[], maxDepth = THREAD_MAX_DEPTH): ThreadNode<T>[] {
  const roots: ThreadNode<T>[] = [];
  const placed = new Map<string, { node: ThreadNode<T>; siblings: ThreadNode<T>[] }>();
  for (const comment of [...rows].sort(chronological)) {
    const parent = comment.parentId ? placed.get(comment.parentId) : undefined;
    let node: ThreadNode<T>;
    let siblings: ThreadNode<T>[];
    if (!parent) {
      node = { comment, depth: 0, inReplyTo: null, orphan: comment.parentId !== null, children: [] };
      siblings = roots;
    } else if (parent.node.depth < maxDepth) {
      node = { comment, depth: parent.node.depth + 1, inReplyTo: null, orphan: false, children: [] };
      siblings = parent.node.children;
    } else {
      // At the cap a reply goes beside its parent, so text never gets squeezed narrower.
      node = { comment, depth: parent.node.depth, inReplyTo: parent.node.comment, orphan: false, children: [] };
      siblings = parent.siblings;
    }
    siblings.push(node);
    placed.set(comment.id, { node, siblings });
  }
  return roots;
}

export type CommentFacts = {
  authorId: string;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  redactedAt: Date | null;
};

/** What the public sees of a comment. The strongest intervention wins. */
export type CommentState = "visible" | "deleted" | "hidden" | "redacted";

export function commentState(c: Omit<CommentFacts, "authorId">): CommentState {
  if (c.redactedAt) return "redacted";
  if (c.hiddenAt) return "hidden";
  if (c.deletedAt) return "deleted";
  return "visible";
}

export type Refusal = {
  reason: "NOT_AUTHOR" | "DELETED" | "HIDDEN" | "REDACTED" | "EDIT_LIMIT" | "EDIT_WINDOW_CLOSED";
  message: string;
};

const REMOVED: Record<Exclude<CommentState, "visible">, Refusal> = {
  deleted: { reason: "DELETED", message: "This comment has been deleted." },
  hidden: { reason: "HIDDEN", message: "This comment has been removed by moderators." },
  redacted: { reason: "REDACTED", message: "This comment has been redacted." },
};

/**
 * Why this user may not edit the comment, or null when they may. Only the author edits,
 * and only a comment still visible: editing under a moderator's removal would let the
 * author swap the text moderators judged.
 */
export function editRefusal(comment: CommentFacts, userId: string): Refusal | null {
  if (comment.authorId !== userId) return { reason: "NOT_AUTHOR", message: "Only the author can edit this comment." };
  const state = commentState(comment);
  return state === "visible" ? null : REMOVED[state];
}

/**
 * Every edit is a permanent `comment.edited` event, so edits are bounded: at most this many
 * per comment, and only this long after posting (after that a correction is a reply).
 */
export const COMMENT_MAX_EDITS = 10;
export const COMMENT_EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Why the comment may not be edited again, or null. `currentVersion` counts version 1 (the
 * post) plus one per edit; the caller reads it under the comment's row lock.
 */
export function editLimitRefusal(comment: { createdAt: Date; currentVersion: number }, now: Date): Refusal | null {
  if (now.getTime() - comment.createdAt.getTime() > COMMENT_EDIT_WINDOW_MS) {
    return {
      reason: "EDIT_WINDOW_CLOSED",
      message: `A comment can only be edited in the first ${COMMENT_EDIT_WINDOW_MS / 3_600_000} hours after posting; post a reply instead.`,
    };
  }
  if (comment.currentVersion - 1 >= COMMENT_MAX_EDITS) {
    return {
      reason: "EDIT_LIMIT",
      message: `A comment can be edited at most ${COMMENT_MAX_EDITS} times; post a reply instead.`,
    };
  }
  return null;
}

/** Why this user may not delete the comment, or null. An author may withdraw a hidden comment. */
export function deleteRefusal(comment: CommentFacts, userId: string): Refusal | null {
  if (comment.authorId !== userId) return { reason: "NOT_AUTHOR", message: "Only the author can delete this comment." };
  if (comment.redactedAt) return REMOVED.redacted;
  if (comment.deletedAt) return REMOVED.deleted;
  return null;
}

/** Replies go to a comment people can still read; a tombstone keeps its old replies only. */
export function replyRefusal(parent: Omit<CommentFacts, "authorId">): Refusal | null {
  const state = commentState(parent);
  if (state === "visible") return null;
  const removed = REMOVED[state];
  return { reason: removed.reason, message: `${removed.message} It can no longer be answered.` };
}

/** A redacted comment has no text left to review; anything else may still be flagged. */
export function flagRefusal(comment: Omit<CommentFacts, "authorId">): Refusal | null {
  return comment.redactedAt
    ? { reason: "REDACTED", message: "This comment has been redacted; there is nothing left to flag." }
    : null;
}

/** Redaction is legal removal of text from the record: moderators and admins only. */
export function canRedact(actor: { roles: readonly string[] } | null): boolean {
  return !!actor && (actor.roles.includes("MODERATOR") || actor.roles.includes("ADMIN"));
}

/** Levels of quotes, lists, link brackets or emphasis a comment may nest. */
export const MARKDOWN_MAX_NESTING = 16;
const MAX_EMPHASIS_RUN = 2 * MARKDOWN_MAX_NESTING;
const MAX_TABLE_COLUMNS = 32;
const MAX_TABLE_CELLS = 10_000;
const MAX_UNBROKEN = 2_048;

const CONTAINER = /^(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))[ \t]*/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// Tested on a trimmed line, so no two unbounded runs of spaces meet (which would backtrack).
const DELIMITER_ROW = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?$/;

/**
 * Why a comment's markdown is refused, or null: a markdown parser recurses once per level of
 * nesting, so 3,000 nested quotes overflowed the stack of every page showing the comment. One
 * linear pass over the text bounds what the parser could be given: quote and list levels at
 * the start of each line (by marker and by indentation), bracket depth, runs of emphasis
 * markers, table sizes and unbroken runs of characters. Code fences are not scanned inside.
 */
export function markdownRefusal(text: string): string | null {
  const deep = `This comment is nested too deeply (more than ${MARKDOWN_MAX_NESTING} levels of quotes, lists, links or emphasis); please flatten it.`;
  let fence: string | null = null;
  let tableColumns = 0;
  let tableCells = 0;
  let brackets = 0;
  for (const line of text.split("\n")) {
    const opened = FENCE.exec(line);
    if (fence !== null) {
      if (opened && opened[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (opened) {
      fence = opened[1]!;
      continue;
    }
    // Quote and list levels: each marker, and for list items every two spaces of indentation.
    const indent = /^ */.exec(line)![0].length;
    let rest = line.slice(indent);
    let levels = 0;
    for (let marker = CONTAINER.exec(rest); marker && levels <= MARKDOWN_MAX_NESTING; marker = CONTAINER.exec(rest)) {
      levels++;
      rest = rest.slice(marker[0].length);
    }
    if (levels > 0) levels += Math.floor(indent / 2);
    if (levels > MARKDOWN_MAX_NESTING) return deep;
    if (line.includes("|") && line.includes("-") && DELIMITER_ROW.test(line.trim())) {
      tableColumns = line.split("|").filter((cell) => cell.trim() !== "").length;
      if (tableColumns > MAX_TABLE_COLUMNS)
        return `This comment's table is too large (at most ${MAX_TABLE_COLUMNS} columns and ${MAX_TABLE_CELLS.toLocaleString("en")} cells).`;
    } else if (tableColumns > 0 && line.includes("|")) {
      tableCells += tableColumns;
      if (tableCells > MAX_TABLE_CELLS)
        return `This comment's table is too large (at most ${MAX_TABLE_COLUMNS} columns and ${MAX_TABLE_CELLS.toLocaleString("en")} cells).`;
    } else {
      tableColumns = 0;
    }
    let run = 0;
    let unbroken = 0;
    let linkish = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === "\\") {
        i++;
        continue;
      }
      if (c === "[") brackets++;
      else if (c === "]") brackets = Math.max(0, brackets - 1);
      if (brackets > MARKDOWN_MAX_NESTING) return deep;
      run = c === "*" || c === "_" || c === "~" ? run + 1 : 0;
      if (run > MAX_EMPHASIS_RUN) return deep;
      const space = c === " " || c === "\t";
      unbroken = space ? 0 : unbroken + 1;
      linkish = !space && (linkish || c === "(" || c === "<");
      // A long word is text; a long link destination is what the parser chokes on.
      if (unbroken > MAX_UNBROKEN && linkish)
        return `This comment has more than ${MAX_UNBROKEN.toLocaleString("en")} characters without a space; shorten the link or break the line.`;
    }
    // Brackets close within a paragraph; a blank line ends it.
    if (line.trim() === "") brackets = 0;
  }
  return null;
}
