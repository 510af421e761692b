import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { eventSeqs, verifyStoredLog } from "@/lib/audit/data";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { sessionCheck } from "@/lib/auth/data";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/cookies";
import { auditHeadSeq, eventsAfter, makeBatch, makeSession, makeUser, untilLockWaiters } from "@/lib/testing/fixtures";
import { castingStats, castVote } from "./mutations";
import { pool } from "@/lib/db";
import { currentTally } from "@/lib/votes/tallies/data";
import { getMyVote } from "./data";

const vote = (datapointId: string, option: string, rationale: string | null = null) => ({
  datapointId,
  option,
  rationale,
  idempotencyKey: randomUUID(),
});

describe("castVote", () => {
  it("casts, then changes, a vote: one audit event each, history kept, one current vote", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const before = await auditHeadSeq();

    const first = await castVote(vote(batch.pairwise, "A", "A answers the question."), user.id);
    expect(first).toMatchObject({ ok: true, changed: false, duplicate: false });
    const [cast] = await eventsAfter(before);
    expect(cast).toMatchObject({ seq: before + 1n, type: "vote.cast" });
    expect(cast!.body).toMatchObject({
      actorId: user.id,
      datapointId: batch.pairwise,
      option: "A",
      rationaleHash: sha256Hex("A answers the question."),
      shown: { proposedLabelVisible: true, tallyVisible: false },
    });
    expect((cast!.body.shown as { order: string[] }).order.sort()).toEqual(["A", "B"]);
    expect(JSON.stringify(cast!.body)).not.toContain("answers the question");

    const second = await castVote(vote(batch.pairwise, "TIE"), user.id);
    expect(second).toMatchObject({ ok: true, changed: true });
    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual(["vote.cast", "vote.changed"]);
    expect(events[1]!.body).toMatchObject({ option: "TIE", previousOption: "A", shown: { tallyVisible: true } });

    expect(await db.vote.count({ where: { datapointId: batch.pairwise, userId: user.id } })).toBe(1);
    expect(await getMyVote(batch.pairwise, user.id)).toMatchObject({ option: "TIE", changes: 1 });
    const [stored] = await eventSeqs([await db.vote.findFirstOrThrow({ where: { datapointId: batch.pairwise } })]);
    expect(stored!.seq).toBe(before + 2n);
    expect((await currentTally(batch.pairwise))?.options.map((o) => o.votes)).toEqual([0, 0, 1, 0]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("never records a retried or double-clicked submit twice", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const before = await auditHeadSeq();
    const input = vote(batch.rating, "4");
    const results = await Promise.all(Array.from({ length: 5 }, () => castVote(input, user.id)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await castVote(input, user.id)).toMatchObject({ ok: true, duplicate: true });
    expect(await eventsAfter(before)).toHaveLength(1);
    expect(await db.voteHistory.count({ where: { userId: user.id } })).toBe(1);
  });

  it("turns concurrent first votes of one user into one vote and its changes", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const before = await auditHeadSeq();
    const options = ["A", "B", "TIE", "BOTH_BAD"];
    const results = await Promise.all(options.map((o) => castVote(vote(batch.pairwise, o), user.id)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db.vote.count({ where: { userId: user.id } })).toBe(1);
    const types = (await eventsAfter(before)).map((e) => e.type);
    expect(types.sort()).toEqual(["vote.cast", "vote.changed", "vote.changed", "vote.changed"]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("takes a burst of one user's votes on one datapoint up to the limit, and refuses the rest", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const before = await auditHeadSeq();
    const options = ["A", "B", "TIE", "BOTH_BAD"];
    // Each vote after the first finds the current vote changed under it, perhaps many times.
    const results = await Promise.all(
      Array.from({ length: 45 }, (_, i) => castVote(vote(batch.pairwise, options[i % 4]!), user.id)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(15).fill("RATE_LIMITED"));
    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual(["vote.cast", ...Array(29).fill("vote.changed")]);
    // Each change names the option the one before it set.
    for (let i = 1; i < events.length; i++) expect(events[i]!.body.previousOption).toBe(events[i - 1]!.body.option);
  });

  it("refuses invalid options, missing required rationales, reused keys and unknown datapoints", async () => {
    const batch = await makeBatch({ rationaleRequired: true });
    const user = await makeUser();
    const other = await makeUser();
    const before = await auditHeadSeq();
    expect(await castVote(vote(batch.classification, "spam", "x"), user.id)).toMatchObject({
      ok: false,
      reason: "INVALID_OPTION",
    });
    expect(await castVote(vote(batch.classification, "fine"), user.id)).toMatchObject({
      ok: false,
      reason: "RATIONALE_REQUIRED",
      message: "This batch asks for a rationale with every vote.",
    });
    expect(await castVote(vote(randomUUID(), "A", "x"), user.id)).toMatchObject({ ok: false, reason: "NOT_FOUND" });
    const input = vote(batch.classification, "fine", "Helpful enough.");
    expect(await castVote(input, user.id)).toMatchObject({ ok: true });
    expect(await castVote(input, other.id)).toMatchObject({ ok: false, reason: "KEY_REUSED" });
    expect(await eventsAfter(before)).toHaveLength(1);
  });

  it("refuses votes once voting has closed, enforced on the server", async () => {
    const closed = await makeBatch({
      opensAt: new Date(Date.now() - 10 * 86_400_000),
      closesAt: new Date(Date.now() - 86_400_000),
    });
    const user = await makeUser();
    expect(await castVote(vote(closed.pairwise, "A"), user.id)).toEqual({
      ok: false,
      reason: "VOTING_CLOSED",
      message: "Voting on this datapoint has closed.",
    });
    const open = await makeBatch();
    await db.datapoint.update({ where: { id: open.pairwise }, data: { status: "FINALIZED" } });
    expect(await castVote(vote(open.pairwise, "A"), user.id)).toMatchObject({ ok: false, reason: "FINALIZED" });
  });

  it("checks each vote against the datapoint as it is now, not as this process last read it", async () => {
    const batch = await makeBatch();
    const [first, second, third] = [await makeUser(), await makeUser(), await makeUser()];
    const before = await auditHeadSeq();
    // The first vote reads the datapoint as open and keeps it; voting then closes behind its back.
    expect(await castVote(vote(batch.pairwise, "A"), first.id)).toMatchObject({ ok: true });
    await db.datapoint.update({ where: { id: batch.pairwise }, data: { status: "CLOSED" } });
    expect(await castVote(vote(batch.pairwise, "B"), second.id)).toMatchObject({ ok: false, reason: "VOTING_CLOSED" });
    // The same with the batch's closing time moved into the past while the status stays OPEN.
    await db.datapoint.update({ where: { id: batch.pairwise }, data: { status: "OPEN" } });
    expect(await castVote(vote(batch.pairwise, "B"), second.id)).toMatchObject({ ok: true });
    const b = await db.datapoint.findUniqueOrThrow({ where: { id: batch.pairwise }, select: { batchId: true } });
    await db.batch.update({ where: { id: b.batchId }, data: { closesAt: new Date(Date.now() - 1_000) } });
    expect(await castVote(vote(batch.pairwise, "TIE"), third.id)).toMatchObject({ ok: false, reason: "VOTING_CLOSED" });
    // And back: a refusal is only given on a fresh read, so a reopened datapoint takes votes at once.
    await db.datapoint.update({ where: { id: batch.pairwise }, data: { status: "REOPENED" } });
    expect(await castVote(vote(batch.pairwise, "TIE"), third.id)).toMatchObject({ ok: true });

    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.actorId, e.body.option])).toEqual([
      ["vote.cast", first.id, "A"],
      ["vote.cast", second.id, "B"],
      ["vote.cast", third.id, "TIE"],
    ]);
    expect(await db.voteHistory.count({ where: { datapointId: batch.pairwise } })).toBe(3);
  });

  it("answers a replayed submit with its first outcome even once voting has closed", async () => {
    const batch = await makeBatch();
    const [user, other] = [await makeUser(), await makeUser()];
    const first = vote(batch.pairwise, "A");
    const cast = await castVote(first, user.id);
    expect(cast).toMatchObject({ ok: true, duplicate: false });
    await db.datapoint.update({ where: { id: batch.pairwise }, data: { status: "CLOSED" } });
    // A new vote is refused (and the service now knows the datapoint is closed)...
    expect(await castVote(vote(batch.pairwise, "B"), user.id)).toMatchObject({ ok: false, reason: "VOTING_CLOSED" });
    // ...but the replay still gets the answer the first submit got, and nobody else's key works.
    expect(await castVote(first, user.id)).toEqual({
      ok: true,
      voteId: cast.ok ? cast.voteId : "",
      changed: false,
      duplicate: true,
    });
    expect(await castVote(first, other.id)).toMatchObject({ ok: false, reason: "KEY_REUSED" });
    expect(await db.voteHistory.count({ where: { datapointId: batch.pairwise } })).toBe(1);
  });

  it("logs every change as a change from the vote it replaces, which it learns under the user's lock", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const before = await auditHeadSeq();
    const calls = () => castingStats.calls;
    expect(await castVote(vote(batch.pairwise, "A"), user.id)).toMatchObject({ ok: true, changed: false });
    // This process remembers the vote it wrote, so the change goes as a change from it: one call.
    let start = calls();
    expect(await castVote(vote(batch.pairwise, "B"), user.id)).toMatchObject({ ok: true, changed: true });
    expect(calls() - start).toBe(1);
    // Another process (a fresh copy of this module, remembering nothing) offers its vote as a
    // first vote; plenary_cast_vote answers with the current vote, and the change is logged
    // against it.
    vi.resetModules();
    const other = await import("./mutations");
    expect(other.castVote).not.toBe(castVote);
    expect(await other.castVote(vote(batch.pairwise, "BOTH_BAD"), user.id)).toMatchObject({ ok: true, changed: true });
    expect(other.castingStats.calls).toBe(2);
    // This process still remembers B: it is told the vote is now BOTH_BAD, and tries again.
    start = calls();
    expect(await castVote(vote(batch.pairwise, "TIE"), user.id)).toMatchObject({ ok: true, changed: true });
    expect(calls() - start).toBe(2);
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.option, e.body.previousOption ?? null])).toEqual([
      ["vote.cast", "A", null],
      ["vote.changed", "B", "A"],
      ["vote.changed", "BOTH_BAD", "B"],
      ["vote.changed", "TIE", "BOTH_BAD"],
    ]);
    expect(new Set(events.map((e) => e.body.voteId)).size).toBe(1);
  });

  it("rate-limits a user's votes with a clear message", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    for (let i = 0; i < 30; i++)
      expect(await castVote(vote(batch.rating, String((i % 5) + 1)), user.id)).toMatchObject({ ok: true });
    const refused = await castVote(vote(batch.rating, "3"), user.id);
    expect(refused).toMatchObject({ ok: false, reason: "RATE_LIMITED" });
    if (!refused.ok)
      expect(refused.message).toMatch(
        /^You have reached the limit of 30 votes per minute\. Please try again in (\d+ s|1 min)\.$/,
      );
  });
});

describe("castVote's grouped statements", () => {
  // Votes that arrive while the vote slots are busy go to PostgreSQL together, in one
  // statement and one transaction. Two votes (rating 4) on a datapoint already read take the
  // slots (tests run with a pool of 5: two vote slots) and run alone; votes cast in the same
  // tick after them, their datapoints read too, wait and form one group.
  const grouped = async (
    blockers: { datapointId: string; userId: string }[],
    calls: { input: ReturnType<typeof vote>; userId: string }[],
    whileWaiting: () => Promise<void> = async () => {},
  ) => {
    const before = { ...castingStats };
    const first = blockers.map((b) => castVote(vote(b.datapointId, "4"), b.userId));
    const rest = calls.map((c) => castVote(c.input, c.userId));
    await whileWaiting();
    const results = await Promise.all(rest);
    expect((await Promise.all(first)).every((r) => r.ok)).toBe(true);
    return {
      results,
      groups: castingStats.groups - before.groups,
      calls: castingStats.calls - before.calls,
      fallbacks: castingStats.fallbacks - before.fallbacks,
    };
  };

  it("gives each vote of a group its own outcome: written, changed, refused after a fresh look", async () => {
    const batch = await makeBatch();
    const closing = await makeBatch();
    const users = await Promise.all(Array.from({ length: 7 }, () => makeUser()));
    const [changer, fresh, late, rater, blockA, blockB, warm] = users as [
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
    ];
    // This process reads (and keeps) all three datapoints; the changer votes A first.
    expect(await castVote(vote(batch.pairwise, "A"), changer.id)).toMatchObject({ ok: true });
    expect(await castVote(vote(batch.rating, "2"), warm.id)).toMatchObject({ ok: true });
    expect(await castVote(vote(closing.pairwise, "A"), warm.id)).toMatchObject({ ok: true });
    // Voting on `closing` ends behind this process's back.
    const { batchId } = await db.datapoint.findUniqueOrThrow({
      where: { id: closing.pairwise },
      select: { batchId: true },
    });
    await db.batch.update({ where: { id: batchId }, data: { closesAt: new Date(Date.now() - 1_000) } });
    const before = await auditHeadSeq();

    const run = await grouped(
      [
        { datapointId: batch.rating, userId: blockA.id },
        { datapointId: batch.rating, userId: blockB.id },
      ],
      [
        { input: vote(batch.pairwise, "B"), userId: changer.id },
        { input: vote(batch.pairwise, "A"), userId: fresh.id },
        { input: vote(closing.pairwise, "B"), userId: late.id },
        { input: vote(batch.rating, "5"), userId: rater.id },
      ],
    );
    // The four were sent as one statement (the changer's as a change from the vote this
    // process remembers); the late vote was refused after a fresh look at its batch.
    expect(run.calls - run.groups).toBeGreaterThanOrEqual(3);
    expect(run.fallbacks).toBe(0);
    expect(run.results.map((r) => (r.ok ? { changed: r.changed } : r.reason))).toEqual([
      { changed: true },
      { changed: false },
      "VOTING_CLOSED",
      { changed: false },
    ]);

    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.actorId, e.body.option, e.body.previousOption ?? null]).sort()).toEqual(
      [
        ["vote.cast", blockA.id, "4", null],
        ["vote.cast", blockB.id, "4", null],
        ["vote.cast", fresh.id, "A", null],
        ["vote.cast", rater.id, "5", null],
        ["vote.changed", changer.id, "B", "A"],
      ].sort(),
    );
    expect(await db.voteHistory.count({ where: { userId: late.id } })).toBe(0);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("sends a group again one vote at a time when its statement fails, losing and doubling nothing", async () => {
    const batch = await makeBatch();
    const [other, a, b, c, blockA, blockB] = await Promise.all(Array.from({ length: 6 }, () => makeUser()));
    // This process reads (and keeps) both datapoints.
    expect(await castVote(vote(batch.rating, "3"), other!.id)).toMatchObject({ ok: true });
    expect(await castVote(vote(batch.pairwise, "A"), other!.id)).toMatchObject({ ok: true });
    const before = await auditHeadSeq();
    // Another user's vote with the key b will use is being written, not yet committed: b's
    // check cannot see it, so b's insert waits on the key's index, then fails once it commits,
    // and with it the whole group's transaction.
    const taken = randomUUID();
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO vote_history (id, datapoint_id, user_id, option, shown, idempotency_key, audit_seq, created_at)
         VALUES ($1, $2, $3, 'A', '{}', $4, 1, now())`,
        [randomUUID(), batch.pairwise, other!.id, taken],
      );
      const run = await grouped(
        [
          { datapointId: batch.rating, userId: blockA!.id },
          { datapointId: batch.rating, userId: blockB!.id },
        ],
        [
          { input: vote(batch.pairwise, "A"), userId: a!.id },
          { input: { ...vote(batch.pairwise, "B"), idempotencyKey: taken }, userId: b!.id },
          { input: vote(batch.pairwise, "TIE"), userId: c!.id },
        ],
        async () => {
          // Let the group reach b's insert, then commit the other vote.
          await untilLockWaiters(1);
          await client.query("COMMIT");
        },
      );
      expect(run.fallbacks).toBe(1);
      expect(run.results.map((r) => (r.ok ? "ok" : r.reason))).toEqual(["ok", "KEY_REUSED", "ok"]);
    } finally {
      client.release();
    }
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.body.actorId, e.body.option]).sort()).toEqual(
      [
        [blockA!.id, "4"],
        [blockB!.id, "4"],
        [a!.id, "A"],
        [c!.id, "TIE"],
      ].sort(),
    );
    // a and c were written once each (the failed group left nothing), b not at all.
    expect(await db.voteHistory.count({ where: { userId: { in: [a!.id, c!.id] } } })).toBe(2);
    expect(await db.voteHistory.count({ where: { userId: b!.id } })).toBe(0);
    await db.voteHistory.deleteMany({ where: { idempotencyKey: taken } });
    expect((await verifyStoredLog()).ok).toBe(true);
  });
});

describe("castVote under a session checked in its own statement", () => {
  const DAY = 86_400_000;
  const expiresOf = async (sessionToken: string) =>
    (await db.session.findUnique({ where: { sessionToken } }))?.expires ?? null;

  it("writes the vote while the session is the user's and unexpired, and extends it only when due", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const now = new Date();
    const fresh = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000 - 3_600_000);
    const token = await makeSession(user.id, fresh);
    expect(
      await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(token, now) }),
    ).toMatchObject({ ok: true, changed: false });
    expect(await expiresOf(token)).toEqual(fresh);

    const old = await makeSession(user.id, new Date(now.getTime() + 2 * DAY));
    expect(await castVote(vote(batch.rating, "4"), user.id, { now, session: sessionCheck(old, now) })).toMatchObject({
      ok: true,
    });
    expect(await expiresOf(old)).toEqual(new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000));
    expect(await db.vote.count({ where: { userId: user.id } })).toBe(2);
  });

  it("refuses, writing nothing, once the session ended, expired, is someone else's or its user was deleted", async () => {
    const batch = await makeBatch();
    const user = await makeUser();
    const other = await makeUser();
    const now = new Date();
    const before = await auditHeadSeq();
    const signedOut = { ok: false, reason: "SIGNED_OUT" };

    const ended = await makeSession(user.id);
    await db.session.delete({ where: { sessionToken: ended } });
    expect(
      await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(ended, now) }),
    ).toMatchObject(signedOut);

    const expired = await makeSession(user.id, new Date(now.getTime() - 1_000));
    expect(
      await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(expired, now) }),
    ).toMatchObject(signedOut);
    expect(await expiresOf(expired)).not.toBeNull(); // left for the session read to delete

    const others = await makeSession(other.id);
    expect(
      await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(others, now) }),
    ).toMatchObject(signedOut);

    const own = await makeSession(user.id);
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    expect(await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(own, now) })).toMatchObject(
      signedOut,
    );

    expect(await db.vote.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.voteHistory.count({ where: { userId: user.id } })).toBe(0);
    expect(await eventsAfter(before)).toEqual([]);
    expect(await db.auditQueue.count()).toBe(0);

    await db.user.update({ where: { id: user.id }, data: { deletedAt: null } });
    expect(await castVote(vote(batch.pairwise, "A"), user.id, { now, session: sessionCheck(own, now) })).toMatchObject({
      ok: true,
    });
  });
});
