import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";

export type PolicyChangeResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: "NOT_FOUND" | "UNKNOWN_POLICY" | "BATCH_CLOSED"; message: string };

/**
 * Switch a batch to another published policy. After voting opened this changes how votes
 * already cast are weighed, so it is recorded with a reason and shown on the batch page.
 */
export async function changeBatchPolicy(
  batchId: string,
  policyHash: string,
  reason: string,
  actorId: string,
  now = new Date(),
): Promise<PolicyChangeResult> {
  return db.$transaction(async (tx) => {
    const batch = await tx.batch.findUnique({
      where: { id: batchId },
      include: { policy: { select: { contentHash: true } } },
    });
    if (!batch) return { ok: false, reason: "NOT_FOUND", message: "That batch does not exist." };
    if (now >= batch.closesAt) {
      return {
        ok: false,
        reason: "BATCH_CLOSED",
        message: "Voting in this batch has closed; its policy can no longer change.",
      };
    }
    const policy = await tx.votingPolicy.findUnique({ where: { contentHash: policyHash }, select: { id: true } });
    if (!policy) return { ok: false, reason: "UNKNOWN_POLICY", message: "No published policy has that hash." };
    if (batch.policy.contentHash === policyHash) return { ok: true, changed: false };
    await tx.batch.update({ where: { id: batchId }, data: { policyId: policy.id } });
    await appendEvent(tx, {
      type: "batch.policy_changed",
      actorId,
      batchId,
      policyHash,
      previousPolicyHash: batch.policy.contentHash,
      reason,
    });
    return { ok: true, changed: true };
  });
}
