import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { batchAgreementByKind, batchBridging, getBatch } from "./data";
import { changeBatchPolicy } from "./mutations";

async function publishSecondPolicy() {
  const result = await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name: "strict",
        version: 1,
        kind: "equal",
        description: "Needs more votes.",
        quorum: { minVotes: 20, minWeight: 20 },
        margin: { minShare: 0.3 },
      },
      null,
    ),
  );
  if (!result.ok) throw new Error(result.message);
  return result.contentHash;
}

describe("changeBatchPolicy", () => {
  it("switches the policy with one audited event that the batch page lists", async () => {
    const batch = await makeBatch();
    const admin = await makeUser("ADMIN");
    const strict = await publishSecondPolicy();
    const row = await db.batch.findUniqueOrThrow({ where: { slug: batch.slug }, include: { policy: true } });
    const before = await auditHeadSeq();

    expect(await changeBatchPolicy(row.id, strict, "More scrutiny for contested items.", admin.id)).toEqual({
      ok: true,
      changed: true,
    });
    expect(await changeBatchPolicy(row.id, strict, "Again.", admin.id)).toEqual({ ok: true, changed: false });
    const events = await eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "batch.policy_changed",
        body: expect.objectContaining({
          batchId: row.id,
          policyHash: strict,
          previousPolicyHash: row.policy.contentHash,
          actorId: admin.id,
        }),
      }),
    ]);
    const page = await getBatch(batch.slug);
    expect(page?.policy.name).toBe("strict");
    expect(page?.policyChanges).toEqual([
      expect.objectContaining({
        policyName: "strict v1",
        previousName: "equal v1",
        reason: "More scrutiny for contested items.",
      }),
    ]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("refuses unknown policies, unknown batches and closed batches", async () => {
    const admin = await makeUser("ADMIN");
    const closed = await makeBatch({
      opensAt: new Date(Date.now() - 5 * 86_400_000),
      closesAt: new Date(Date.now() - 86_400_000),
    });
    const closedRow = await db.batch.findUniqueOrThrow({ where: { slug: closed.slug } });
    const strict = await publishSecondPolicy();
    expect(await changeBatchPolicy(closedRow.id, strict, "Too late now.", admin.id)).toMatchObject({
      ok: false,
      reason: "BATCH_CLOSED",
    });
    const open = await db.batch.findUniqueOrThrow({ where: { slug: (await makeBatch()).slug } });
    expect(await changeBatchPolicy(open.id, "0".repeat(64), "No such policy.", admin.id)).toMatchObject({
      ok: false,
      reason: "UNKNOWN_POLICY",
    });
    expect(await changeBatchPolicy(randomUUID(), strict, "No such batch.", admin.id)).toMatchObject({
      ok: false,
      reason: "NOT_FOUND",
    });
  });

  it("reports agreement per kind and the advisory bridging check over the batch's votes", async () => {
    const batch = await makeBatch();
    const row = await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } });
    const voters = await Promise.all(Array.from({ length: 4 }, () => makeUser()));
    const ratings = ["4", "4", "5", "4"];
    for (const [i, voter] of voters.entries()) {
      const vote = (datapointId: string, option: string) =>
        castVote({ datapointId, option, rationale: null, idempotencyKey: randomUUID() }, voter.id);
      expect(await vote(batch.pairwise, i < 3 ? "A" : "B")).toMatchObject({ ok: true });
      expect(await vote(batch.rating, ratings[i]!)).toMatchObject({ ok: true });
    }
    const agreement = await batchAgreementByKind(row.id);
    expect(agreement.map((a) => [a.kind, a.level, a.datapoints, a.pairable])).toEqual([
      ["PAIRWISE", "nominal", 1, 4],
      ["RATING", "interval", 1, 4],
    ]);
    // Wiring only (the engine's planted cases are unit-tested): flags name their datapoint,
    // and a label everyone supports is never "one-sided".
    for (const voter of voters) {
      await castVote(
        { datapointId: batch.classification, option: "fine", rationale: null, idempotencyKey: randomUUID() },
        voter.id,
      );
    }
    const bridging = await batchBridging(row.id);
    const titles = new Map([
      [batch.pairwise, "Pairwise"],
      [batch.rating, "Rating"],
      [batch.classification, "Classification"],
    ]);
    for (const flag of bridging.oneSided) expect(flag.title).toBe(titles.get(flag.datapointId));
    expect(bridging.oneSided.map((f) => f.datapointId)).not.toContain(batch.classification);
  });
});
