// The discussion's writes against a real PostgreSQL: each change appends exactly one
// audit event holding hashes, never text, and the stored chain keeps verifying.
import { beforeAll, describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { getCommentHistory, getThread } from "./data";
import { expectNoEventSince, lastSeq, newUser, onlyEventSince, posted as postedOn, seedDiscussion } from "./fixtures";
import { deleteComment, editComment, postComment, redactComment } from "./mutations";
import { COMMENT_EDIT_WINDOW_MS, COMMENT_MAX_EDITS } from "./rules";

let open: string, other: string, draft: string;
let alice: string, bob: string, moderator: string;

const posted = (body: string, by: string, options: { on?: string; parentId?: string } = {}) =>
  postedOn(body, by, options.on ?? open, options.parentId);

beforeAll(async () => {
  ({ open, other, draft, alice, bob, moderator } = await seedDiscussion());
});

describe("postComment", () => {
  it("stores version 1 and appends one comment.posted event with the hash, not the text", async () => {
    const text = "  The second response is **right**: the wall is too narrow to see.  ";
    const before = await lastSeq();
    const outcome = await postComment({ datapointId: open, body: text }, alice);
    expect(outcome).toMatchObject({ ok: true, datapointId: open });
    if (!outcome.ok) return;
    const { body, event } = await onlyEventSince(before, "comment.posted");
    const kept = text.trim();
    expect(event).toMatchObject({
      actorId: alice,
      commentId: outcome.commentId,
      datapointId: open,
      parentId: null,
      bodyHash: sha256Hex(kept),
    });
    expect(body).not.toContain("too narrow");
    const comment = await db.comment.findUniqueOrThrow({
      where: { id: outcome.commentId },
      include: { versions: true },
    });
    expect(comment).toMatchObject({ body: kept, currentVersion: 1, authorId: alice });
    expect(comment.versions).toMatchObject([{ version: 1, body: kept, bodyHash: sha256Hex(kept) }]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("threads replies and names the parent in the event", async () => {
    const parent = await posted("Parent", alice);
    const before = await lastSeq();
    const reply = await posted("Reply", bob, { parentId: parent });
    const { event } = await onlyEventSince(before, "comment.posted");
    expect(event).toMatchObject({ commentId: reply, parentId: parent, actorId: bob });
    const thread = await getThread(open);
    const node = thread.nodes.find((n) => n.comment.id === parent)!;
    expect(node.children.map((c) => c.comment.id)).toEqual([reply]);
    // Authors appear by public name only: the pseudonym here, never the email.
    expect(JSON.stringify(thread)).not.toContain("@example.test");
  });

  it("refuses a reply to a comment of another datapoint, drafts and bad input, without events", async () => {
    const elsewhere = await posted("On the other datapoint", alice, { on: other });
    const before = await lastSeq();
    expect(await postComment({ datapointId: open, parentId: elsewhere, body: "Cross-thread" }, bob)).toMatchObject({
      ok: false,
      reason: "PARENT_MISMATCH",
    });
    expect(
      await postComment({ datapointId: open, parentId: crypto.randomUUID(), body: "No parent" }, bob),
    ).toMatchObject({ ok: false, reason: "PARENT_MISMATCH" });
    expect(await postComment({ datapointId: draft, body: "Too early" }, bob)).toMatchObject({
      ok: false,
      reason: "NOT_PUBLIC",
    });
    expect(await postComment({ datapointId: crypto.randomUUID(), body: "Nowhere" }, bob)).toMatchObject({
      ok: false,
      reason: "NOT_FOUND",
    });
    expect(await postComment({ datapointId: open, body: "   " }, bob)).toEqual({
      ok: false,
      reason: "INVALID",
      message: "Please write something before posting.",
    });
    expect(await postComment({ datapointId: open, body: "Ghost" }, crypto.randomUUID())).toMatchObject({
      ok: false,
      reason: "SIGNED_OUT",
    });
    await expectNoEventSince(before);
  });

  it("refuses replies to a deleted comment", async () => {
    const gone = await posted("Soon gone", alice);
    expect((await deleteComment(gone, alice)).ok).toBe(true);
    const outcome = await postComment({ datapointId: open, parentId: gone, body: "Hello?" }, bob);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "DELETED",
      message: expect.stringMatching(/can no longer be answered/),
    });
  });
  it("refuses pathological markdown with a clear message, writing no comment and no event", async () => {
    const poster = await newUser(`markdown-${crypto.randomUUID()}@example.test`);
    const before = await lastSeq();
    const rows = await db.comment.count();
    for (const body of [
      ">".repeat(3000),
      Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i)}- x`)
        .join("\n")
        .slice(0, 9_000),
      "[".repeat(3000) + "x" + "](u)".repeat(1000),
    ]) {
      const outcome = await postComment({ datapointId: open, body }, poster);
      expect(outcome).toMatchObject({ ok: false, reason: "INVALID" });
      if (!outcome.ok) expect(outcome.message).toMatch(/nested too deeply/);
    }
    const table = [
      "|" + " h |".repeat(50),
      "|" + "-|".repeat(50),
      ...Array.from({ length: 1000 }, () => "|" + " x |".repeat(50)),
    ].join("\n");
    for (const body of [table, `[a](https://example.org/${"a".repeat(100_000)})`]) {
      expect(await postComment({ datapointId: open, body }, poster)).toMatchObject({ ok: false, reason: "INVALID" });
    }
    const id = await posted("Fine", poster);
    expect(await editComment(id, ">".repeat(3000), poster)).toMatchObject({
      ok: false,
      reason: "INVALID",
      message: expect.stringMatching(/nested too deeply/),
    });
    expect(await db.comment.count()).toBe(rows + 1);
    expect((await db.comment.findUniqueOrThrow({ where: { id } })).body).toBe("Fine");
    const events = await db.auditEvent.findMany({ where: { seq: { gt: before } }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(["comment.posted"]);
  });
});

describe("editComment", () => {
  it("adds a version, marks the comment edited and appends one comment.edited event", async () => {
    const id = await posted("First thoughts", alice);
    const before = await lastSeq();
    const outcome = await editComment(id, "Second thoughts, secret wording", alice);
    expect(outcome).toEqual({ ok: true, commentId: id, datapointId: open, version: 2, unchanged: false });
    const { body, event } = await onlyEventSince(before, "comment.edited");
    expect(event).toMatchObject({
      actorId: alice,
      commentId: id,
      datapointId: open,
      version: 2,
      bodyHash: sha256Hex("Second thoughts, secret wording"),
    });
    expect(body).not.toContain("secret wording");
    const comment = await db.comment.findUniqueOrThrow({ where: { id } });
    expect(comment).toMatchObject({ body: "Second thoughts, secret wording", currentVersion: 2 });
    expect(comment.editedAt).toBeInstanceOf(Date);
    expect((await getCommentHistory(id))?.map((v) => v.body)).toEqual([
      "First thoughts",
      "Second thoughts, secret wording",
    ]);
    const node = (await getThread(open)).nodes.find((n) => n.comment.id === id)!;
    expect(node.comment.earlierVersions.map((v) => v.body)).toEqual(["First thoughts"]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("treats saving the same text as no edit", async () => {
    const id = await posted("Unchanged", alice);
    const before = await lastSeq();
    expect(await editComment(id, " Unchanged ", alice)).toMatchObject({ ok: true, unchanged: true, version: 1 });
    await expectNoEventSince(before);
  });

  it("lets nobody but the author edit, and nobody edit a deleted comment", async () => {
    const id = await posted("Mine", alice);
    const before = await lastSeq();
    expect(await editComment(id, "Hijacked", bob)).toMatchObject({ ok: false, reason: "NOT_AUTHOR" });
    expect(await editComment(id, "Hijacked", moderator)).toMatchObject({ ok: false, reason: "NOT_AUTHOR" });
    expect(await editComment(crypto.randomUUID(), "Nothing", alice)).toMatchObject({ ok: false, reason: "NOT_FOUND" });
    await expectNoEventSince(before);
    expect((await deleteComment(id, alice)).ok).toBe(true);
    const afterDelete = await lastSeq();
    expect(await editComment(id, "Back from the dead", alice)).toMatchObject({ ok: false, reason: "DELETED" });
    await expectNoEventSince(afterDelete);
    expect((await db.comment.findUniqueOrThrow({ where: { id } })).body).toBe("");
  });

  it(`allows at most ${COMMENT_MAX_EDITS} edits, then refuses with a message and no event`, async () => {
    const editor = await newUser(`editor-${crypto.randomUUID()}@example.test`); // its own rate-limit budget
    const id = await posted("Draft 0", editor);
    for (let i = 1; i <= COMMENT_MAX_EDITS; i++)
      expect(await editComment(id, `Draft ${i}`, editor)).toMatchObject({ ok: true, version: i + 1 });
    const before = await lastSeq();
    const refused = await editComment(id, "One more", editor);
    expect(refused).toEqual({
      ok: false,
      reason: "EDIT_LIMIT",
      message: `A comment can be edited at most ${COMMENT_MAX_EDITS} times; post a reply instead.`,
    });
    await expectNoEventSince(before);
    const comment = await db.comment.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    expect(comment).toMatchObject({ body: `Draft ${COMMENT_MAX_EDITS}`, currentVersion: COMMENT_MAX_EDITS + 1 });
    expect(comment.versions).toHaveLength(COMMENT_MAX_EDITS + 1);
  });

  it("counts edits under the comment's lock, so parallel edits cannot pass the limit together", async () => {
    const editor = await newUser(`editor-${crypto.randomUUID()}@example.test`);
    const id = await posted("Race 0", editor);
    const outcomes = await Promise.all(
      Array.from({ length: COMMENT_MAX_EDITS + 5 }, (_, i) => editComment(id, `Race ${i + 1}`, editor)),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(COMMENT_MAX_EDITS);
    expect(outcomes.filter((o) => !o.ok && o.reason === "EDIT_LIMIT")).toHaveLength(5);
    expect(await db.commentVersion.count({ where: { commentId: id } })).toBe(COMMENT_MAX_EDITS + 1);
  });

  it("refuses edits once the edit window after posting has passed", async () => {
    const editor = await newUser(`editor-${crypto.randomUUID()}@example.test`);
    const id = await posted("Old news", editor);
    await db.comment.update({
      where: { id },
      data: { createdAt: new Date(Date.now() - COMMENT_EDIT_WINDOW_MS - 60_000) },
    });
    const before = await lastSeq();
    expect(await editComment(id, "Rewriting history", editor)).toEqual({
      ok: false,
      reason: "EDIT_WINDOW_CLOSED",
      message: "A comment can only be edited in the first 24 hours after posting; post a reply instead.",
    });
    await expectNoEventSince(before);
    expect((await db.comment.findUniqueOrThrow({ where: { id } })).body).toBe("Old news");
  });
});

describe("deleteComment", () => {
  it("leaves a tombstone that keeps its replies, hides the text and appends one comment.deleted event", async () => {
    const id = await posted("Regrettable opinion", alice);
    await editComment(id, "Regrettable opinion, edited", alice);
    const reply = await posted("I disagree", bob, { parentId: id });
    expect(await deleteComment(id, bob)).toMatchObject({ ok: false, reason: "NOT_AUTHOR" });

    const before = await lastSeq();
    expect(await deleteComment(id, alice)).toEqual({ ok: true, commentId: id, datapointId: open });
    const { event } = await onlyEventSince(before, "comment.deleted");
    expect(event).toMatchObject({ actorId: alice, commentId: id, datapointId: open });

    const comment = await db.comment.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    expect(comment.body).toBe("");
    expect(comment.deletedAt).toBeInstanceOf(Date);
    // Versions stay for moderators; the public sees none of them.
    expect(comment.versions.every((v) => v.body !== null)).toBe(true);
    expect(await getCommentHistory(id)).toBeNull();
    const node = (await getThread(open)).nodes.find((n) => n.comment.id === id)!;
    expect(node.comment).toMatchObject({ state: "deleted", body: null, earlierVersions: [] });
    expect(node.children.map((c) => c.comment.id)).toEqual([reply]);
    expect(JSON.stringify(node.comment)).not.toContain("Regrettable");

    const again = await lastSeq();
    expect(await deleteComment(id, alice)).toMatchObject({ ok: false, reason: "DELETED" });
    await expectNoEventSince(again);
    expect((await verifyStoredLog()).ok).toBe(true);
  });
});

describe("redactComment", () => {
  it("erases every version's text while the audit chain still verifies", async () => {
    const id = await posted("My phone number is 555-0100", alice);
    await editComment(id, "My phone number is 555-0199", alice);
    const reply = await posted("Please remove that", bob, { parentId: id });

    const refusedBefore = await lastSeq();
    expect(await redactComment(id, "Personal data", alice)).toMatchObject({ ok: false, reason: "NOT_ALLOWED" });
    expect(await redactComment(id, "  ", moderator)).toMatchObject({ ok: false, reason: "INVALID" });
    await expectNoEventSince(refusedBefore);

    const before = await lastSeq();
    expect(await redactComment(id, "Personal data (legal request)", moderator)).toEqual({
      ok: true,
      commentId: id,
      datapointId: open,
    });
    const { body, event } = await onlyEventSince(before, "comment.redacted");
    expect(event).toMatchObject({
      actorId: moderator,
      commentId: id,
      datapointId: open,
      reason: "Personal data (legal request)",
    });
    expect(body).not.toContain("555-01"); // the number, not any hex run of a random id

    const comment = await db.comment.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    expect(comment.body).toBe("");
    expect(comment.redactedAt).toBeInstanceOf(Date);
    expect(comment.versions.map((v) => v.body)).toEqual([null, null]);
    // Nothing anywhere in the database still holds the text, and the log still verifies.
    const [left] = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM (
        SELECT body FROM comments UNION ALL SELECT body FROM comment_versions UNION ALL SELECT body FROM audit_events
      ) t WHERE body LIKE '%555-01%'`;
    expect(left?.count).toBe(0n);
    expect((await verifyStoredLog()).ok).toBe(true);

    const node = (await getThread(open)).nodes.find((n) => n.comment.id === id)!;
    expect(node.comment).toMatchObject({ state: "redacted", body: null });
    expect(node.children.map((c) => c.comment.id)).toEqual([reply]);
    expect(await editComment(id, "Again", alice)).toMatchObject({ ok: false, reason: "REDACTED" });
    expect(await redactComment(id, "Twice", moderator)).toMatchObject({ ok: false, reason: "REDACTED" });
  });
});

describe("rate limits", () => {
  it("refuses the 11th comment in ten minutes with a clear sentence and no event", async () => {
    const hasty = await newUser("hasty@example.test");
    await db.comment.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ datapointId: other, authorId: hasty, body: `filler ${i}` })),
    });
    const before = await lastSeq();
    const outcome = await postComment({ datapointId: open, body: "One more" }, hasty);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "RATE_LIMITED",
      message: expect.stringMatching(/limit of 10 comments per 10 minutes\. Please try again in/),
    });
    await expectNoEventSince(before);
  });
});
