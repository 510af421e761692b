import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { closeBatchNow } from "./mutations";

const vote = (datapointId: string, option: string) => ({ datapointId, option, rationale: null, idempotencyKey: randomUUID() });

describe("closing a batch", () => {
  it("waits for a vote in flight, then logs the close after it, and refuses the votes after", async () => {
    const batch = await makeBatch();
    const { batchId } = await db.datapoint.findUniqueOrThrow({ where: { id: batch.pairwise }, select: { batchId: true } });
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
});
