import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { sessionCheck } from "@/lib/auth/data";
import { auditHeadSeq, eventsAfter, makeBatch, makeSession, makeUser, untilLockWaiters } from "@/lib/testing/fixtures";
import { castingStats, castVote } from "@/lib/votes/mutations";
import { closeBatchNow } from "./mutations";

const vote = (datapointId: string, option: string) => ({
  datapointId,
  option,
  rationale: null,
  idempotencyKey: randomUUID(),
});

describe("closing a batch", () => {
  it("waits for a vote in flight, then logs the close after it, and refuses the votes after", async () => {
    const batch = await makeBatch();
    const { batchId } = await db.datapoint.findUniqueOrThrow({
      where: { id: batch.pairwise },
      select: { batchId: true },
    });
    const [admin, voter, late] = [await makeUser("ADMIN"), await makeUser(), await makeUser()];
    const before = await auditHeadSeq();
    expect(await castVote(vote(batch.pairwise, "A"), voter.id)).toMatchObject({ ok: true });

    // A vote in flight holds its datapoint key-share locked from its check to its commit.
    const inFlight = await pool.connect();
    try {
      await inFlight.query("BEGIN");
      await inFlight.query("SELECT id FROM datapoints WHERE id = $1 FOR KEY SHARE", [batch.pairwise]);
      let settled = false;
      const closing = closeBatchNow(batchId, admin.id).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(settled, "the close went ahead while a vote was in flight").toBe(false);
      await inFlight.query("COMMIT");
      expect(await closing).toEqual({ ok: true, closed: 3 });
    } finally {
      inFlight.release();
    }

    expect(await castVote(vote(batch.pairwise, "B"), late.id)).toMatchObject({ ok: false, reason: "VOTING_CLOSED" });
    expect((await eventsAfter(before)).map((e) => e.type)).toEqual(["vote.cast", "batch.closed"]);
  });

  it("cannot deadlock with a group of votes holding one of its datapoints while it waits", async () => {
    const batch = await makeBatch();
    const { batchId } = await db.datapoint.findUniqueOrThrow({
      where: { id: batch.pairwise },
      select: { batchId: true },
    });
    const admin = await makeUser("ADMIN");
    const [first, second, blockA, blockB] = await Promise.all(Array.from({ length: 4 }, () => makeUser()));
    const option = { [batch.pairwise]: "A", [batch.rating]: "4", [batch.classification]: "fine" };
    const [low, high] = [batch.pairwise, batch.rating].sort() as [string, string];
    for (const id of [batch.pairwise, batch.rating, batch.classification]) {
      expect(await castVote(vote(id, option[id]!), admin.id)).toMatchObject({ ok: true });
    }
    const now = new Date();
    const token = await makeSession(second!.id, new Date(now.getTime() + 2 * 86_400_000)); // due for renewal
    // Another request holds the second voter's session row, so the group below stops at that
    // voter's session renewal, after the first voter's vote has key-share locked `high`.
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("UPDATE sessions SET expires = expires WHERE session_token = $1", [token]);
      const before = await auditHeadSeq();
      const fallbacks = castingStats.fallbacks;
      // Two votes take the two vote slots; the next two go together as one group.
      const blockers = [blockA!, blockB!].map((u) => castVote(vote(batch.classification, "fine"), u.id));
      const group = [
        castVote(vote(high, option[high]!), first!.id),
        castVote(vote(low, option[low]!), second!.id, { now, session: sessionCheck(token, now) }),
      ];
      await untilLockWaiters(1);
      // The close locks the batch's datapoints in id order: `low`, then `high`, where it waits
      // for the group. Had the group not locked `low` before its first vote, it would now wait
      // for `low` behind the close: a deadlock.
      const closing = closeBatchNow(batchId, admin.id);
      await untilLockWaiters(2);
      await other.query("COMMIT");
      expect(await closing).toEqual({ ok: true, closed: 3 });
      expect(await Promise.all([...blockers, ...group])).toMatchObject([
        { ok: true },
        { ok: true },
        { ok: true },
        { ok: true },
      ]);
      expect(castingStats.fallbacks).toBe(fallbacks);
      const events = await eventsAfter(before);
      expect(events.map((e) => e.type)).toEqual(["vote.cast", "vote.cast", "vote.cast", "vote.cast", "batch.closed"]);
    } finally {
      other.release();
    }
  });

  it("closes while groups of votes on several of its datapoints are in flight: each vote logged before the close, or refused", async () => {
    const options = { pairwise: "A", rating: "4", classification: "fine" } as const;
    for (let round = 0; round < 5; round++) {
      const batch = await makeBatch();
      const { batchId } = await db.datapoint.findUniqueOrThrow({
        where: { id: batch.pairwise },
        select: { batchId: true },
      });
      const admin = await makeUser("ADMIN");
      const voters = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
      // This process reads (and keeps) the three datapoints, so the votes below reach their
      // statements in the same tick and go in groups spanning the three.
      for (const kind of ["pairwise", "rating", "classification"] as const) {
        expect(await castVote(vote(batch[kind], options[kind]), admin.id)).toMatchObject({ ok: true });
      }
      const before = await auditHeadSeq();
      const kinds = (["classification", "rating", "pairwise"] as const).slice();
      const votes = voters.map((voter, i) => {
        const kind = kinds[(i + round) % 3]!;
        return castVote(vote(batch[kind], options[kind]), voter.id);
      });
      const closing = closeBatchNow(batchId, admin.id);
      const [results, closed] = await Promise.all([Promise.all(votes), closing]);
      expect(closed).toEqual({ ok: true, closed: 3 });
      expect(
        results.every((r) => r.ok || r.reason === "VOTING_CLOSED"),
        JSON.stringify(results),
      ).toBe(true);
      const events = await eventsAfter(before);
      const closedAt = events.findIndex((e) => e.type === "batch.closed");
      expect(closedAt).toBe(events.length - 1);
      expect(events.slice(0, closedAt).every((e) => e.type === "vote.cast")).toBe(true);
      expect(closedAt).toBe(results.filter((r) => r.ok).length);
    }
  });
});
