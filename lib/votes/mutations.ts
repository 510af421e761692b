import { randomUUID } from "node:crypto";
import type { Shown } from "@/lib/audit/events";
import { sha256Hex } from "@/lib/audit/hash";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { enqueueEvent } from "@/lib/audit/sequencer";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db-errors";
import type { Tx } from "@/lib/db-types";
import { checkRateLimit, lockUserAction } from "@/lib/limits/data";
import { isValidOption, responseOrder, tallyVisibleTo, votingState } from "./rules";
import type { VoteInput } from "./schema";

export type CastVoteResult =
  | { ok: true; voteId: string; changed: boolean; duplicate: boolean }
  | {
      ok: false;
      reason: "NOT_FOUND" | "NOT_OPEN_YET" | "VOTING_CLOSED" | "FINALIZED" | "INVALID_OPTION" | "RATIONALE_REQUIRED" | "RATE_LIMITED" | "KEY_REUSED";
      message: string;
    };

/**
 * Cast or change the user's vote. One transaction writes the current vote, its history
 * row and its audit event, which it queues rather than waiting for the log's sequencing
 * lock (lib/audit/sequencer.ts); once committed, the event is sequenced together with the
 * other votes committed meanwhile before the vote is acknowledged. A replayed idempotency
 * key returns the first outcome and writes nothing; a concurrent first vote by the same user
 * becomes a change.
 */
export async function castVote(input: VoteInput, userId: string, now = new Date()): Promise<CastVoteResult> {
  const result = await castVoteOnce(input, userId, now);
  if (result.ok && !result.duplicate) {
    // The vote is committed whatever happens here; an event left queued by a failure is
    // sequenced by the next vote or by the scheduler (lib/audit/schedule.ts).
    await flushAuditQueue().catch((error: unknown) => console.error("Sequencing the audit queue failed:", error));
  }
  return result;
}

async function castVoteOnce(input: VoteInput, userId: string, now: Date): Promise<CastVoteResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => castVoteIn(tx, input, userId, now));
    } catch (error) {
      if (isUniqueViolation(error, "idempotency_key") || isUniqueViolation(error, "idempotencyKey")) {
        const replay = await findReplay(db, input, userId);
        if (replay) return replay;
      }
      // Another first vote of this user on this datapoint committed meanwhile: retry as a change.
      if (attempt < 3 && isUniqueViolation(error, "datapoint_id")) continue;
      throw error;
    }
  }
}

async function castVoteIn(tx: Tx, input: VoteInput, userId: string, now: Date): Promise<CastVoteResult> {
  // The user's votes run one at a time from here, so a replayed submit is recognised before
  // it touches the vote row (and never waits on the sequencer recording the first one).
  await lockUserAction(tx, "vote", userId);
  const replay = await findReplay(tx, input, userId);
  if (replay) return replay;

  // Held until commit: a decision locks the datapoint for update and so waits for this vote
  // to commit (and its event to be queued) before it fixes the log position it counts to.
  await tx.$queryRaw`SELECT 1 FROM datapoints WHERE id = ${input.datapointId}::uuid FOR KEY SHARE`;
  const datapoint = await tx.datapoint.findFirst({
    where: { id: input.datapointId, status: { not: "DRAFT" } },
    select: {
      status: true,
      kind: true,
      labelOptions: true,
      responses: true,
      batch: { select: { opensAt: true, closesAt: true, rationaleRequired: true, tallyVisibility: true } },
    },
  });
  if (!datapoint) return { ok: false, reason: "NOT_FOUND", message: "This datapoint does not exist or is not published." };
  const state = votingState(datapoint.status, datapoint.batch, now);
  if (!state.open) return { ok: false, reason: state.reason, message: state.message };
  if (!isValidOption(datapoint.kind, datapoint.labelOptions, input.option)) {
    return { ok: false, reason: "INVALID_OPTION", message: "That is not one of this datapoint's options." };
  }
  if (datapoint.batch.rationaleRequired && !input.rationale) {
    return { ok: false, reason: "RATIONALE_REQUIRED", message: "This batch asks for a rationale with every vote." };
  }
  const limit = await checkRateLimit(tx, "vote", userId, now, { locked: true });
  if (!limit.ok) return { ok: false, reason: limit.reason, message: limit.message };

  const [existing] = await tx.$queryRaw<{ id: string; option: string }[]>`
    SELECT id, option FROM votes WHERE datapoint_id = ${input.datapointId}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
  const responseIds = (datapoint.responses as { id: string }[]).map((r) => r.id);
  const shown: Shown = {
    order: responseOrder(userId, input.datapointId, responseIds),
    proposedLabelVisible: true,
    // A first vote is always cast blind; a change is made after the tally may have been seen.
    tallyVisible: existing ? tallyVisibleTo(datapoint.batch.tallyVisibility, true, true) : false,
  };
  const voteId = existing?.id ?? randomUUID();
  const common = {
    // The event's time is the vote's time, so a tally from the log matches one from the tables.
    at: now.toISOString(),
    actorId: userId,
    voteId,
    datapointId: input.datapointId,
    option: input.option,
    rationaleHash: input.rationale ? sha256Hex(input.rationale) : null,
    shown,
  };
  // Queued after the vote row's lock is taken, so a change is always logged after the vote
  // it changes.
  const { queueId } = await enqueueEvent(
    tx,
    existing ? { ...common, type: "vote.changed", previousOption: existing.option } : { ...common, type: "vote.cast" },
  );
  const row = { option: input.option, rationale: input.rationale, shown, auditSeq: null, auditQueueId: queueId };
  if (existing) await tx.vote.update({ where: { id: voteId }, data: { ...row, updatedAt: now } });
  else await tx.vote.create({ data: { ...row, id: voteId, datapointId: input.datapointId, userId, createdAt: now, updatedAt: now } });
  await tx.voteHistory.create({
    data: { ...row, datapointId: input.datapointId, userId, idempotencyKey: input.idempotencyKey, createdAt: now },
  });
  return { ok: true, voteId, changed: !!existing, duplicate: false };
}

/** The outcome of an earlier submit with the same idempotency key, or null for a fresh one. */
async function findReplay(client: Tx, input: VoteInput, userId: string): Promise<CastVoteResult | null> {
  const earlier = await client.voteHistory.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    select: { userId: true, datapointId: true },
  });
  if (!earlier) return null;
  if (earlier.userId !== userId || earlier.datapointId !== input.datapointId) {
    return { ok: false, reason: "KEY_REUSED", message: "This form was already used for another vote; reload the page." };
  }
  const vote = await client.vote.findUniqueOrThrow({
    where: { datapointId_userId: { datapointId: input.datapointId, userId } },
    select: { id: true },
  });
  return { ok: true, voteId: vote.id, changed: false, duplicate: true };
}
