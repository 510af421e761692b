import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/policies/mutations";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { getBatch } from "./data";
import { changeBatchPolicy } from "./mutations";

async function publishSecondPolicy() {
  const result = await db.$transaction((tx) =>
    publishPolicyIn(tx, { name: "strict", version: 1, kind: "equal", description: "Needs more votes.", quorum: { minVotes: 20, minWeight: 20 }, margin: { minShare: 0.3 } }, null),
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

    expect(await changeBatchPolicy(row.id, strict, "More scrutiny for contested items.", admin.id)).toEqual({ ok: true, changed: true });
    expect(await changeBatchPolicy(row.id, strict, "Again.", admin.id)).toEqual({ ok: true, changed: false });
    const events = await eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "batch.policy_changed",
        body: expect.objectContaining({ batchId: row.id, policyHash: strict, previousPolicyHash: row.policy.contentHash, actorId: admin.id }),
      }),
    ]);
    const page = await getBatch(batch.slug);
    expect(page?.policy.name).toBe("strict");
    expect(page?.policyChanges).toEqual([expect.objectContaining({ policyName: "strict v1", previousName: "equal v1", reason: "More scrutiny for contested items." })]);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("refuses unknown policies, unknown batches and closed batches", async () => {
    const admin = await makeUser("ADMIN");
    const closed = await makeBatch({ opensAt: new Date(Date.now() - 5 * 86_400_000), closesAt: new Date(Date.now() - 86_400_000) });
    const closedRow = await db.batch.findUniqueOrThrow({ where: { slug: closed.slug } });
    const strict = await publishSecondPolicy();
    expect(await changeBatchPolicy(closedRow.id, strict, "Too late now.", admin.id)).toMatchObject({ ok: false, reason: "BATCH_CLOSED" });
    const open = await db.batch.findUniqueOrThrow({ where: { slug: (await makeBatch()).slug } });
    expect(await changeBatchPolicy(open.id, "0".repeat(64), "No such policy.", admin.id)).toMatchObject({ ok: false, reason: "UNKNOWN_POLICY" });
    expect(await changeBatchPolicy(randomUUID(), strict, "No such batch.", admin.id)).toMatchObject({ ok: false, reason: "NOT_FOUND" });
  });
});
