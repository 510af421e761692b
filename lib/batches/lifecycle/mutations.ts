// The datapoint lifecycle driven by batch times: draft → open at opensAt, open → closed at
// closesAt. Each batch's step is one transaction with one event for the whole batch. Votes
// are refused by time on the server regardless (lib/votes/rules.ts), so a late step never
// lets a vote in.
import { appendEvent, lockLogHead } from "@/lib/audit/append";
import { db } from "@/lib/db";
import type { Tx } from "@/lib/database/types";

export type LifecycleReport = { opened: number; closed: number };

export async function advanceLifecycle(now = new Date()): Promise<LifecycleReport> {
  const report: LifecycleReport = { opened: 0, closed: 0 };
  const opening = await db.batch.findMany({
    where: { opensAt: { lte: now }, datapoints: { some: { status: "DRAFT" } } },
    select: { id: true },
  });
  for (const { id } of opening) report.opened += await stepBatch(id, "DRAFT", "OPEN", null);
  const closing = await db.batch.findMany({
    where: { closesAt: { lte: now }, datapoints: { some: { status: "OPEN" } } },
    select: { id: true },
  });
  for (const { id } of closing) report.closed += await stepBatch(id, "OPEN", "CLOSED", null);
  return report;
}

/**
 * Lock the batch (so two schedulers cannot both step it: the second finds nothing to move)
 * and its datapoints in `status`. A vote holds a key-share lock on its datapoint from its
 * check until it commits (plenary_cast_vote), which an update of the status alone would not
 * wait for: locking the rows for update waits for the votes in flight, so they are logged
 * before the batch's event, and makes later votes wait, then see the new status and be
 * refused. The log's head is locked before the datapoints, in the order a decision takes
 * them, so the two cannot deadlock; the datapoints are locked in id order, as a group of
 * votes key-share locks its datapoints before it writes (migration `…_cast_votes_batch`),
 * so a group holding some of them cannot deadlock with this either.
 */
async function lockBatch(tx: Tx, batchId: string, status: "DRAFT" | "OPEN"): Promise<void> {
  await tx.$queryRaw`SELECT id FROM batches WHERE id = ${batchId}::uuid FOR UPDATE`;
  await lockLogHead(tx);
  await tx.$queryRaw`SELECT id FROM datapoints WHERE batch_id = ${batchId}::uuid AND status = ${status}::"DatapointStatus" ORDER BY id FOR UPDATE`;
}

async function stepBatch(
  batchId: string,
  from: "DRAFT" | "OPEN",
  to: "OPEN" | "CLOSED",
  actorId: string | null,
): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockBatch(tx, batchId, from);
    const moved = await tx.datapoint.updateMany({ where: { batchId, status: from }, data: { status: to } });
    if (moved.count === 0) return 0;
    await appendEvent(tx, {
      type: to === "OPEN" ? "batch.opened" : "batch.closed",
      actorId,
      batchId,
      datapoints: moved.count,
    });
    return moved.count;
  });
}

export type CloseResult =
  { ok: true; closed: number } | { ok: false; reason: "NOT_ALLOWED" | "NOT_FOUND" | "NOT_OPEN"; message: string };

/** A moderator or admin ends voting in a batch now (recorded as the batch's closing). */
export async function closeBatchNow(batchId: string, actorId: string, now = new Date()): Promise<CloseResult> {
  const actor = await db.user.findFirst({
    where: { id: actorId, deletedAt: null },
    select: { roles: { select: { role: true } } },
  });
  if (!actor?.roles.some((r) => r.role === "MODERATOR" || r.role === "ADMIN")) {
    return { ok: false, reason: "NOT_ALLOWED", message: "Only moderators and admins can close voting." };
  }
  const batch = await db.batch.findUnique({ where: { id: batchId }, select: { opensAt: true, closesAt: true } });
  if (!batch) return { ok: false, reason: "NOT_FOUND", message: "That batch does not exist." };
  if (batch.closesAt <= now || batch.opensAt > now)
    return { ok: false, reason: "NOT_OPEN", message: "Voting in this batch is not open." };
  return db.$transaction(async (tx) => {
    await lockBatch(tx, batchId, "OPEN");
    await tx.batch.update({ where: { id: batchId }, data: { closesAt: now } });
    const moved = await tx.datapoint.updateMany({ where: { batchId, status: "OPEN" }, data: { status: "CLOSED" } });
    await appendEvent(tx, { type: "batch.closed", actorId, batchId, datapoints: moved.count });
    return { ok: true as const, closed: moved.count };
  });
}
