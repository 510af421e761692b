import { describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { flag, postComment } from "@/lib/comments/mutations";
import { db } from "@/lib/db";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { dismissFlag, hideComment, keepComment } from "./mutations";
import { AUTO_HIDE_FLAGS } from "./rules";

async function flaggedComment(flags: number) {
  const batch = await makeBatch();
  const author = await makeUser();
  const posted = await postComment(
    { datapointId: batch.pairwise, body: "Buy cheap watches at example.invalid" },
    author.id,
  );
  if (!posted.ok) throw new Error(posted.message);
  const flagIds: string[] = [];
  for (let i = 0; i < flags; i++) {
    const result = await flag({ target: "comment", id: posted.commentId, reason: "SPAM" }, (await makeUser()).id);
    if (!result.ok) throw new Error(result.message);
    flagIds.push(result.flagId);
  }
  return { commentId: posted.commentId, datapointId: batch.pairwise, flagIds, moderator: await makeUser("MODERATOR") };
}

describe("comment moderation", () => {
  it("hides a comment automatically after enough flags, pending review, with a system event", async () => {
    const c = await flaggedComment(AUTO_HIDE_FLAGS - 1);
    expect((await db.comment.findUniqueOrThrow({ where: { id: c.commentId } })).hiddenAt).toBeNull();
    const lastReporter = await makeUser();
    const before = await auditHeadSeq();
    await flag({ target: "comment", id: c.commentId, reason: "ABUSE" }, lastReporter.id);
    const comment = await db.comment.findUniqueOrThrow({ where: { id: c.commentId } });
    expect(comment.hiddenAt).not.toBeNull();
    expect(comment.hiddenReason).toBe(
      `Hidden automatically after ${AUTO_HIDE_FLAGS} flags; a moderator will review it.`,
    );
    expect((await eventsAfter(before)).map((e) => [e.type, e.body.actorId ?? null, e.body.automatic ?? null])).toEqual([
      ["flag.raised", expect.any(String), null],
      ["comment.hidden", null, true],
    ]);
  });

  it("keeps an automatically hidden comment, resolving its flags, with one event", async () => {
    const c = await flaggedComment(AUTO_HIDE_FLAGS);
    const before = await auditHeadSeq();
    expect(await keepComment(c.commentId, "Not spam: a relevant example.", c.moderator.id)).toEqual({ ok: true });
    expect((await db.comment.findUniqueOrThrow({ where: { id: c.commentId } })).hiddenAt).toBeNull();
    expect(await db.flag.count({ where: { commentId: c.commentId, resolvedAt: null } })).toBe(0);
    expect((await eventsAfter(before)).map((e) => e.type)).toEqual(["comment.unhidden"]);
  });

  it("hides with a reason the author sees, and dismisses flags one by one when keeping a visible comment", async () => {
    const c = await flaggedComment(2);
    const before = await auditHeadSeq();
    expect(await keepComment(c.commentId, "Within the rules.", c.moderator.id)).toEqual({ ok: true });
    expect((await eventsAfter(before)).map((e) => e.type)).toEqual(["flag.dismissed", "flag.dismissed"]);
    expect(await keepComment(c.commentId, "Within the rules.", c.moderator.id)).toMatchObject({
      ok: false,
      reason: "ALREADY",
    });

    expect(await hideComment(c.commentId, "Advertising is not allowed here.", c.moderator.id)).toEqual({ ok: true });
    expect(await db.comment.findUniqueOrThrow({ where: { id: c.commentId } })).toMatchObject({
      hiddenReason: "Advertising is not allowed here.",
    });

    const other = await flaggedComment(1);
    expect(await dismissFlag(other.flagIds[0]!, "No problem found.", other.moderator.id)).toEqual({ ok: true });
    expect(await dismissFlag(other.flagIds[0]!, "No problem found.", other.moderator.id)).toMatchObject({
      ok: false,
      reason: "ALREADY",
    });
    expect((await verifyStoredLog()).ok).toBe(true);
  });
});
