// Appeals against final labels: anyone signed in may appeal; a moderator who did not decide
// the label (and took no part in it) accepts — voting reopens — or rejects with a rationale.
import { appendEvent } from "@/lib/audit/append";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { moderatorIn, recusalIn } from "@/lib/decisions/mutations";
import type { AppealResolution } from "@/lib/decisions/schema";

export type AppealResult =
  | { ok: true; appealId: string }
  | {
      ok: false;
      reason:
        | "SIGNED_OUT"
        | "NOT_FOUND"
        | "NOT_FINAL"
        | "ALREADY_APPEALED"
        | "NOT_ALLOWED"
        | "NOT_OPEN"
        | "RECUSED"
        | "OWN_DECISION"
        | "SUPERSEDED";
      message: string;
    };

export async function fileAppeal(
  input: { datapointId: string; reason: string },
  userId: string,
): Promise<AppealResult> {
  return db.$transaction(async (tx): Promise<AppealResult> => {
    if (!(await tx.user.count({ where: { id: userId, deletedAt: null } })))
      return { ok: false, reason: "SIGNED_OUT", message: "Please sign in first." };
    const decision = await tx.decision.findFirst({
      where: { datapointId: input.datapointId, status: "FINAL" },
      select: { id: true },
    });
    if (!decision) return { ok: false, reason: "NOT_FINAL", message: "Only a final label can be appealed." };
    if (await tx.appeal.count({ where: { decisionId: decision.id, appellantId: userId, status: "OPEN" } })) {
      return {
        ok: false,
        reason: "ALREADY_APPEALED",
        message: "You already appealed this label; moderators will answer it.",
      };
    }
    const appeal = await tx.appeal.create({
      data: { datapointId: input.datapointId, decisionId: decision.id, appellantId: userId, reason: input.reason },
    });
    await appendEvent(tx, {
      type: "appeal.filed",
      actorId: userId,
      appealId: appeal.id,
      decisionId: decision.id,
      datapointId: input.datapointId,
      reasonHash: sha256Hex(input.reason),
    });
    return { ok: true, appealId: appeal.id };
  });
}

export async function resolveAppeal(input: AppealResolution, moderatorId: string): Promise<AppealResult> {
  return db.$transaction(async (tx): Promise<AppealResult> => {
    if (!(await moderatorIn(tx, moderatorId)))
      return { ok: false, reason: "NOT_ALLOWED", message: "Only moderators can resolve appeals." };
    await tx.$queryRaw`SELECT id FROM appeals WHERE id = ${input.appealId}::uuid FOR UPDATE`;
    const appeal = await tx.appeal.findUnique({ where: { id: input.appealId }, include: { decision: true } });
    if (!appeal) return { ok: false, reason: "NOT_FOUND", message: "This appeal does not exist." };
    if (appeal.status !== "OPEN")
      return { ok: false, reason: "NOT_OPEN", message: "This appeal has already been resolved." };
    if (appeal.decision.moderatorId === moderatorId || appeal.decision.confirmedById === moderatorId) {
      return {
        ok: false,
        reason: "OWN_DECISION",
        message: "You took part in the decision under appeal, so another moderator must resolve it.",
      };
    }
    const recused = await recusalIn(tx, appeal.datapointId, moderatorId);
    if (recused) return { ok: false, reason: "RECUSED", message: recused };

    const resolved = { resolvedById: moderatorId, resolution: input.rationale, resolvedAt: new Date() };
    const rationaleHash = sha256Hex(input.rationale);
    if (input.verdict === "reject") {
      await tx.appeal.update({ where: { id: appeal.id }, data: { ...resolved, status: "REJECTED" } });
      await appendEvent(tx, {
        type: "appeal.rejected",
        actorId: moderatorId,
        appealId: appeal.id,
        datapointId: appeal.datapointId,
        rationaleHash,
      });
      return { ok: true, appealId: appeal.id };
    }
    if (appeal.decision.status !== "FINAL") {
      return {
        ok: false,
        reason: "SUPERSEDED",
        message: "This label was already reopened; reject this appeal as settled.",
      };
    }
    await tx.appeal.update({ where: { id: appeal.id }, data: { ...resolved, status: "ACCEPTED" } });
    await tx.decision.update({ where: { id: appeal.decisionId }, data: { status: "SUPERSEDED" } });
    await tx.datapoint.update({ where: { id: appeal.datapointId }, data: { status: "REOPENED", finalLabel: null } });
    await appendEvent(tx, {
      type: "decision.reopened",
      actorId: moderatorId,
      appealId: appeal.id,
      decisionId: appeal.decisionId,
      datapointId: appeal.datapointId,
      rationaleHash,
    });
    return { ok: true, appealId: appeal.id };
  });
}
