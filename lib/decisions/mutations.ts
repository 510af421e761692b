// Deciding labels. Each step is one transaction with its audit event, authorized against
// the actor's roles read in that transaction. A decision takes the log's sequencing lock
// first, so the tally it records is exactly the tally of the events up to `lastSeq`.
import { appendEvent, lockLogHead } from "@/lib/audit/append";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { optionsView } from "@/lib/datapoints/rules";
import { db } from "@/lib/db";
import type { Tx } from "@/lib/database/types";
import { checkpointAfterDecision } from "@/lib/checkpoints/schedule";
import { tallyInputFromTables } from "@/lib/votes/tallies/data";
import { tallyDatapoint } from "@/lib/tally/tally";
import { canDecide, recusal, voteDigest } from "./rules";
import type { FinalizeInput, OverrideReview } from "./schema";

type DecisionFailure = {
  ok: false;
  reason:
    | "NOT_ALLOWED"
    | "NOT_FOUND"
    | "VOTING_OPEN"
    | "ALREADY_FINAL"
    | "PENDING_OVERRIDE"
    | "RECUSED"
    | "NO_OUTCOME"
    | "NOT_AN_OVERRIDE"
    | "INVALID_LABEL"
    | "SAME_MODERATOR"
    | "NOT_PENDING"
    | "RATIONALE_REQUIRED";
  message: string;
};
export type DecisionResult =
  { ok: true; decisionId: string; status: "FINAL" | "PENDING_CONFIRMATION" | "DECLINED" } | DecisionFailure;

const fail = (reason: DecisionFailure["reason"], message: string): DecisionFailure => ({ ok: false, reason, message });
const NOT_ALLOWED = fail("NOT_ALLOWED", "Only moderators can decide labels.");

/** The actor's roles from this transaction: authorization on fresh state, failing closed. */
export async function moderatorIn(tx: Tx, userId: string): Promise<boolean> {
  const user = await tx.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { roles: { select: { role: true } } },
  });
  return !!user && canDecide(user.roles.map((r) => r.role));
}

export async function recusalIn(tx: Tx, datapointId: string, userId: string): Promise<string | null> {
  const [voted, commented] = await Promise.all([
    tx.voteHistory.count({ where: { datapointId, userId } }),
    tx.comment.count({ where: { datapointId, authorId: userId } }),
  ]);
  return recusal({ voted: voted > 0, commented: commented > 0 });
}

/** Accept the tally's outcome, or propose an override that a second moderator must confirm. */
export async function finalizeDecision(
  input: FinalizeInput,
  moderatorId: string,
  now = new Date(),
): Promise<DecisionResult> {
  return signedAfter(await finalizeInTransaction(input, moderatorId, now));
}

/** Every final label gets a signed checkpoint covering it, once its transaction committed. */
async function signedAfter(result: DecisionResult): Promise<DecisionResult> {
  if (result.ok && result.status === "FINAL") await checkpointAfterDecision();
  return result;
}

async function finalizeInTransaction(input: FinalizeInput, moderatorId: string, now: Date): Promise<DecisionResult> {
  return db.$transaction(
    async (tx): Promise<DecisionResult> => {
      await lockLogHead(tx);
      if (!(await moderatorIn(tx, moderatorId))) return NOT_ALLOWED;
      // A vote holds a key-share lock on its datapoint until it commits: once this lock is
      // ours, every vote on the datapoint has committed (its event queued) or will wait.
      await tx.$queryRaw`SELECT id FROM datapoints WHERE id = ${input.datapointId}::uuid FOR UPDATE`;
      const lastSeq = await lockLogHead(tx);
      const datapoint = await tx.datapoint.findUnique({
        where: { id: input.datapointId },
        select: { status: true, kind: true, labelOptions: true, batch: { select: { policyId: true } } },
      });
      if (!datapoint || datapoint.status === "DRAFT") return fail("NOT_FOUND", "This datapoint does not exist.");
      if (datapoint.status === "OPEN")
        return fail("VOTING_OPEN", "Voting on this datapoint is still open; decide once it has closed.");
      if (datapoint.status === "FINALIZED")
        return fail("ALREADY_FINAL", "This label is already final; an appeal can reopen it.");
      if (await tx.decision.count({ where: { datapointId: input.datapointId, status: "PENDING_CONFIRMATION" } })) {
        return fail("PENDING_OVERRIDE", "An override of this label is waiting for a second moderator.");
      }
      const recused = await recusalIn(tx, input.datapointId, moderatorId);
      if (recused) return fail("RECUSED", recused);

      const tallyInput = await tallyInputFromTables(input.datapointId, now, tx);
      const tally = tallyDatapoint(tallyInput!);
      const decided = tally.outcome.kind === "decided" ? tally.outcome.option : null;
      let label: string;
      if (input.mode === "accept") {
        if (!decided)
          return fail("NO_OUTCOME", "The tally has not decided a label; set one with an override and its reason.");
        label = decided;
      } else {
        if (!optionsView(datapoint.kind, datapoint.labelOptions).options.some((o) => o.id === input.label)) {
          return fail("INVALID_LABEL", "That is not one of this datapoint's options.");
        }
        if (input.label === decided)
          return fail("NOT_AN_OVERRIDE", "That is the tally's outcome: accept it instead of overriding.");
        label = input.label;
      }

      const tallyText = canonicalJson(tally);
      const usedVotes = await tx.$queryRaw<{ seq: bigint; leaf_hash: Uint8Array }[]>`
        SELECT e.seq, e.leaf_hash FROM votes v JOIN audit_events e ON e.seq = plenary_event_seq(v.audit_seq, v.audit_queue_id)
        WHERE v.datapoint_id = ${input.datapointId}::uuid AND v.updated_at <= ${now}`;
      const record = {
        datapointId: input.datapointId,
        label,
        policyId: datapoint.batch.policyId,
        policyHash: tally.policyHash,
        tally: tallyText,
        lastSeq,
        voteDigest: voteDigest(usedVotes.map((v) => ({ seq: v.seq, leafHash: v.leaf_hash }))),
        moderatorId,
        rationale: input.rationale,
        isOverride: input.mode === "override",
        overrideReason: input.mode === "override" ? input.overrideReason : null,
        status: input.mode === "override" ? ("PENDING_CONFIRMATION" as const) : ("FINAL" as const),
        createdAt: now,
      };
      const decision = await tx.decision.create({ data: record });
      if (input.mode === "override") {
        await appendEvent(tx, {
          type: "decision.override_proposed",
          actorId: moderatorId,
          decisionId: decision.id,
          datapointId: input.datapointId,
          label,
          tallyHash: sha256Hex(tallyText),
          overrideReason: input.overrideReason,
          rationaleHash: sha256Hex(input.rationale),
          policyHash: record.policyHash,
          lastSeq: Number(lastSeq),
          voteDigest: record.voteDigest,
        });
        return { ok: true, decisionId: decision.id, status: "PENDING_CONFIRMATION" };
      }
      await finalizeIn(tx, decision.id, moderatorId, null);
      return { ok: true, decisionId: decision.id, status: "FINAL" };
    },
    { timeout: 30_000 },
  );
}

/** Make a decision final: the datapoint takes its label, and the log its record. */
async function finalizeIn(tx: Tx, decisionId: string, actorId: string, confirmedById: string | null): Promise<void> {
  const decision = await tx.decision.update({
    where: { id: decisionId },
    data: { status: "FINAL", ...(confirmedById ? { confirmedById, confirmedAt: new Date() } : {}) },
  });
  await tx.datapoint.update({
    where: { id: decision.datapointId },
    data: { status: "FINALIZED", finalLabel: decision.label },
  });
  await appendEvent(tx, {
    type: "decision.finalized",
    actorId,
    decisionId,
    datapointId: decision.datapointId,
    label: decision.label,
    policyHash: decision.policyHash,
    tallyHash: sha256Hex(decision.tally),
    lastSeq: Number(decision.lastSeq),
    voteDigest: decision.voteDigest,
    isOverride: decision.isOverride,
    overrideReason: decision.overrideReason,
    rationaleHash: sha256Hex(decision.rationale),
    confirmedById,
  });
}

/** The two-person rule: another moderator confirms or declines a proposed override. */
export async function reviewOverride(review: OverrideReview, moderatorId: string): Promise<DecisionResult> {
  return signedAfter(await reviewOverrideInTransaction(review, moderatorId));
}

async function reviewOverrideInTransaction(review: OverrideReview, moderatorId: string): Promise<DecisionResult> {
  return db.$transaction(async (tx): Promise<DecisionResult> => {
    if (!(await moderatorIn(tx, moderatorId))) return NOT_ALLOWED;
    await tx.$queryRaw`SELECT id FROM decisions WHERE id = ${review.decisionId}::uuid FOR UPDATE`;
    const decision = await tx.decision.findUnique({ where: { id: review.decisionId } });
    if (!decision) return fail("NOT_FOUND", "This decision does not exist.");
    if (decision.status !== "PENDING_CONFIRMATION")
      return fail("NOT_PENDING", "This override is no longer waiting for confirmation.");
    if (decision.moderatorId === moderatorId)
      return fail("SAME_MODERATOR", "An override needs a second moderator: someone else must review it.");
    const recused = await recusalIn(tx, decision.datapointId, moderatorId);
    if (recused) return fail("RECUSED", recused);
    if (review.verdict === "confirm") {
      await finalizeIn(tx, decision.id, moderatorId, moderatorId);
      return { ok: true, decisionId: decision.id, status: "FINAL" };
    }
    if (review.rationale.length < 20)
      return fail("RATIONALE_REQUIRED", "Explain in at least 20 characters why the override is declined.");
    await tx.decision.update({ where: { id: decision.id }, data: { status: "DECLINED" } });
    await appendEvent(tx, {
      type: "decision.override_declined",
      actorId: moderatorId,
      decisionId: decision.id,
      datapointId: decision.datapointId,
      rationaleHash: sha256Hex(review.rationale),
    });
    return { ok: true, decisionId: decision.id, status: "DECLINED" };
  });
}
