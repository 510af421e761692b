import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { appendEvent } from "./append";
import { eventSeqs, verifyStoredLog } from "./data";
import { leafHash, toHex } from "./hash";
import { flushAuditQueue, sequenceQueuedEvents } from "./mutations";
import { startAuditQueueScheduler } from "./schedule";
import { enqueueEvent } from "./sequencer";

const userCreated = (pseudonym: string) => ({
  type: "user.created" as const,
  actorId: null,
  userId: crypto.randomUUID(),
  pseudonym,
  verificationTier: 0,
});
const queued = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_queue`)[0]!.n);

describe("the audit queue", () => {
  it("commits an event with its change and gives it the next seq when sequenced", async () => {
    await flushAuditQueue();
    const before = await auditHeadSeq();
    const { body, leafHash: leaf } = await db.$transaction((tx) => enqueueEvent(tx, userCreated("quiet-otter-0001")));
    expect(await queued()).toBe(1);
    expect((await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq).toBe(before);

    expect(await sequenceQueuedEvents()).toBe(1);
    const [event] = await db.auditEvent.findMany({ where: { seq: { gt: before } } });
    expect(event).toMatchObject({ seq: before + 1n, type: "user.created", body });
    expect(toHex(event!.leafHash)).toBe(toHex(leaf));
    expect(toHex(leaf)).toBe(toHex(leafHash(body)));
    expect(await queued()).toBe(0);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("leaves nothing queued when the change rolls back", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await enqueueEvent(tx, userCreated("quiet-otter-0002"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await queued()).toBe(0);
  });

  it("is sequenced, in queue order, before any event appended after it", async () => {
    const before = await auditHeadSeq();
    await db.$transaction((tx) => enqueueEvent(tx, userCreated("queued-first-0001")));
    await db.$transaction((tx) => enqueueEvent(tx, userCreated("queued-second-0001")));
    await db.$transaction((tx) => appendEvent(tx, userCreated("appended-third-0001")));
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.seq, e.body.pseudonym])).toEqual([
      [before + 1n, "queued-first-0001"],
      [before + 2n, "queued-second-0001"],
      [before + 3n, "appended-third-0001"],
    ]);
    expect(await queued()).toBe(0);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("logs concurrent votes once each, gapless, and points every vote row at its event", async () => {
    const batch = await makeBatch();
    const users = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
    const before = await auditHeadSeq();
    const jobs = users.flatMap((user, i) => [
      () =>
        castVote(
          { datapointId: batch.pairwise, option: "A", rationale: null, idempotencyKey: `seq-a-${i}-${user.id}` },
          user.id,
        ),
      () =>
        castVote(
          { datapointId: batch.rating, option: "3", rationale: null, idempotencyKey: `seq-b-${i}-${user.id}` },
          user.id,
        ),
      () =>
        castVote(
          { datapointId: batch.pairwise, option: "B", rationale: null, idempotencyKey: `seq-c-${i}-${user.id}` },
          user.id,
        ),
    ]);
    const results = await Promise.all(jobs.map((job) => job()));
    expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);

    // Acknowledged means committed with its event queued; the events are sequenced in the
    // background, and once flushAuditQueue resolves nothing committed is left in the queue.
    expect(await db.voteHistory.count({ where: { userId: { in: users.map((u) => u.id) } } })).toBe(36);
    await flushAuditQueue();
    expect(await queued()).toBe(0);
    const events = await eventsAfter(before);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => before + BigInt(i + 1)));
    expect(events).toHaveLength(36);
    expect(events.filter((e) => e.type === "vote.changed")).toHaveLength(12);
    // Each voter's change comes after the vote it changes.
    for (const user of users) {
      const mine = events.filter((e) => e.body.actorId === user.id && e.body.datapointId === batch.pairwise);
      expect(mine.map((e) => e.type).sort()).toEqual(["vote.cast", "vote.changed"]);
      const cast = mine.find((e) => e.type === "vote.cast")!;
      const changed = mine.find((e) => e.type === "vote.changed")!;
      expect(changed.seq).toBeGreaterThan(cast.seq);
      expect(changed.body.previousOption).toBe(cast.body.option);
    }
    // The rows were written once, pointing at their events by queue id; the events carry it.
    const history = await eventSeqs(
      await db.voteHistory.findMany({ where: { userId: { in: users.map((u) => u.id) } } }),
    );
    expect(history).toHaveLength(36);
    expect(history.every((h) => h.auditSeq === null && h.auditQueueId !== null && h.seq !== null)).toBe(true);
    expect(new Set(history.map((h) => h.seq)).size).toBe(36);
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    for (const h of history) expect(bySeq.get(h.seq!)?.body.option).toBe(h.option);
    const votes = await eventSeqs(await db.vote.findMany({ where: { userId: { in: users.map((u) => u.id) } } }));
    for (const v of votes) {
      const latest = history
        .filter((h) => h.userId === v.userId && h.datapointId === v.datapointId)
        .sort((a, b) => Number(b.seq! - a.seq!))[0]!;
      expect({ seq: v.seq, option: v.option }).toEqual({ seq: latest.seq, option: latest.option });
    }
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("sequences an event whose writer stopped before sequencing it, from the server's sweep", async () => {
    const before = await auditHeadSeq();
    await db.$transaction((tx) => enqueueEvent(tx, userCreated("left-behind-0001")));
    const stop = startAuditQueueScheduler();
    try {
      const deadline = Date.now() + 10_000;
      while ((await queued()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
    }
    expect((await eventsAfter(before)).map((e) => e.body.pseudonym)).toEqual(["left-behind-0001"]);
  });

  it("refuses to change a queued event or to move the head past events that are not there", async () => {
    await db.$transaction((tx) => enqueueEvent(tx, userCreated("untouchable-0001")));
    await expect(db.$executeRawUnsafe(`UPDATE audit_queue SET body = '{}'`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE audit_queue`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE audit_head SET last_seq = last_seq + 2`)).rejects.toThrow(
      /past events already in the log/,
    );
    await sequenceQueuedEvents();
    expect(await queued()).toBe(0);
  });
});
