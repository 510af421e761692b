// Flags against a real PostgreSQL: one per reporter and target, one flag.raised event
// each (the note stays out of the log), rate limited, and safe under parallel requests.
import { beforeAll, describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { db } from "@/lib/db";
import { expectNoEventSince, lastSeq, newUser, onlyEventSince, posted as postedOn, seedDiscussion } from "./fixtures";
import { editComment, flag } from "./mutations";

let open: string, other: string, draft: string;
let alice: string, bob: string, moderator: string;

const posted = (body: string, by: string, options: { on?: string } = {}) => postedOn(body, by, options.on ?? open);

beforeAll(async () => {
  ({ open, other, draft, alice, bob, moderator } = await seedDiscussion());
});

describe("flag", () => {
  it("flags a comment once per reporter, naming the comment's datapoint in one flag.raised event", async () => {
    const id = await posted("Buy cheap watches at example.com", alice, { on: other });
    const before = await lastSeq();
    const outcome = await flag(
      { target: "comment", id, reason: "SPAM", note: "Advertising, with a personal aside" },
      bob,
    );
    expect(outcome).toMatchObject({ ok: true, datapointId: other });
    if (!outcome.ok) return;
    const { body, event } = await onlyEventSince(before, "flag.raised");
    expect(event).toMatchObject({
      actorId: bob,
      flagId: outcome.flagId,
      datapointId: other,
      commentId: id,
      reason: "SPAM",
    });
    expect(body).not.toContain("personal aside");
    expect(await db.flag.findUniqueOrThrow({ where: { id: outcome.flagId } })).toMatchObject({
      reporterId: bob,
      commentId: id,
      datapointId: null,
      note: "Advertising, with a personal aside",
    });

    const again = await lastSeq();
    expect(await flag({ target: "comment", id, reason: "ABUSE" }, bob)).toMatchObject({
      ok: false,
      reason: "ALREADY_FLAGGED",
      message: expect.stringMatching(/^You have already flagged this/),
    });
    await expectNoEventSince(again);
    // Someone else may still flag it.
    expect((await flag({ target: "comment", id, reason: "SPAM" }, moderator)).ok).toBe(true);
  });

  it("flags a datapoint once per reporter, and never a draft or a missing one", async () => {
    const before = await lastSeq();
    const outcome = await flag({ target: "datapoint", id: open, reason: "MISLABELED" }, alice);
    expect(outcome).toMatchObject({ ok: true, datapointId: open });
    const { event } = await onlyEventSince(before, "flag.raised");
    expect(event).toMatchObject({ actorId: alice, datapointId: open, commentId: null, reason: "MISLABELED" });
    expect(await flag({ target: "datapoint", id: open, reason: "OTHER" }, alice)).toMatchObject({
      ok: false,
      reason: "ALREADY_FLAGGED",
    });
    expect(await flag({ target: "datapoint", id: draft, reason: "OTHER" }, alice)).toMatchObject({
      ok: false,
      reason: "NOT_FOUND",
    });
    expect(await flag({ target: "comment", id: crypto.randomUUID(), reason: "OTHER" }, alice)).toMatchObject({
      ok: false,
      reason: "NOT_FOUND",
    });
    expect(await flag({ target: "datapoint", id: open, reason: "NOPE" as "OTHER" }, bob)).toMatchObject({
      ok: false,
      reason: "INVALID",
    });
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("refuses the 21st flag in an hour", async () => {
    const eager = await newUser("eager@example.test");
    const targets = await db.comment.createManyAndReturn({
      data: Array.from({ length: 21 }, (_, i) => ({ datapointId: other, authorId: eager, body: `target ${i}` })),
      select: { id: true },
    });
    await db.flag.createMany({
      data: targets.slice(0, 20).map((t) => ({ reporterId: eager, commentId: t.id, reason: "SPAM" as const })),
    });
    const before = await lastSeq();
    const outcome = await flag({ target: "comment", id: targets[20]!.id, reason: "SPAM" }, eager);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "RATE_LIMITED",
      message: expect.stringMatching(/limit of 20 flags per hour/),
    });
    await expectNoEventSince(before);
  });
});

describe("concurrent requests", () => {
  it("serialise per user: parallel duplicate flags and edits cannot slip past the checks", async () => {
    const racer = await newUser("racer@example.test");
    const writer = await newUser("writer@example.test");
    const target = await posted("Contested", writer);
    const flags = await Promise.all(
      Array.from({ length: 4 }, () => flag({ target: "comment", id: target, reason: "ABUSE" }, racer)),
    );
    expect(flags.filter((f) => f.ok)).toHaveLength(1);
    expect(flags.filter((f) => !f.ok).map((f) => !f.ok && f.reason)).toEqual([
      "ALREADY_FLAGGED",
      "ALREADY_FLAGGED",
      "ALREADY_FLAGGED",
    ]);

    const edits = await Promise.all([1, 2, 3].map((n) => editComment(target, `Contested, take ${n}`, writer)));
    expect(edits.map((e) => e.ok && e.version).sort()).toEqual([2, 3, 4]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });
});
