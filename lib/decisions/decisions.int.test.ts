import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { verifyStoredLog } from "@/lib/audit/data";
import { sha256Hex } from "@/lib/audit/hash";
import { fileAppeal, resolveAppeal } from "@/lib/decisions/appeals/mutations";
import { postComment } from "@/lib/comments/mutations";
import { db } from "@/lib/db";
import { advanceLifecycle, closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { tallyInputFromTables } from "@/lib/votes/tallies/data";
import { tallyDatapoint } from "@/lib/tally/tally";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { finalizeDecision, reviewOverride } from "./mutations";
import { flushAuditQueue } from "@/lib/audit/mutations";

const RATIONALE = "The public vote is clear and the discussion raised no new facts.";

/** A closed pairwise datapoint with `votes` (A wins 4:1 by default) and two uninvolved moderators. */
async function closedDatapoint(votes = ["A", "A", "A", "A", "B"]) {
  const batch = await makeBatch();
  for (const option of votes) {
    const voter = await makeUser();
    expect(
      await castVote({ datapointId: batch.pairwise, option, rationale: null, idempotencyKey: randomUUID() }, voter.id),
    ).toMatchObject({ ok: true });
  }
  const [mod1, mod2, admin] = await Promise.all([makeUser("MODERATOR"), makeUser("MODERATOR"), makeUser("ADMIN")]);
  const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
  expect(await closeBatchNow(batchId, admin.id)).toMatchObject({ ok: true });
  return { ...batch, batchId, mod1, mod2, admin };
}

describe("finalizing labels", () => {
  it("accepts the tally with a record that recomputes byte for byte, and one audit event", async () => {
    const dp = await closedDatapoint();
    const before = await auditHeadSeq();
    const result = await finalizeDecision(
      { mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE },
      dp.mod1.id,
    );
    expect(result).toMatchObject({ ok: true, status: "FINAL" });
    const decision = await db.decision.findFirstOrThrow({ where: { datapointId: dp.pairwise } });
    expect(decision).toMatchObject({ label: "A", status: "FINAL", isOverride: false, lastSeq: before });
    // The recorded tally is exactly the tally of the facts as of the decision.
    const recomputed = tallyDatapoint((await tallyInputFromTables(dp.pairwise, decision.createdAt))!);
    expect(canonicalJson(recomputed)).toBe(decision.tally);
    const events = await eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "decision.finalized",
        body: expect.objectContaining({
          label: "A",
          lastSeq: Number(before),
          tallyHash: sha256Hex(decision.tally),
          voteDigest: decision.voteDigest,
          isOverride: false,
        }),
      }),
    ]);
    expect(await db.datapoint.findUniqueOrThrow({ where: { id: dp.pairwise } })).toMatchObject({
      status: "FINALIZED",
      finalLabel: "A",
    });
    expect(
      await finalizeDecision({ mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE }, dp.mod2.id),
    ).toMatchObject({ ok: false, reason: "ALREADY_FINAL" });
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("needs a second moderator for an override, and lets neither the proposer nor a participant confirm", async () => {
    const dp = await closedDatapoint();
    const participant = await makeUser("MODERATOR");
    await postComment({ datapointId: dp.pairwise, body: "I think B is better." }, participant.id);
    const proposed = await finalizeDecision(
      {
        mode: "override",
        datapointId: dp.pairwise,
        label: "B",
        overrideReason: "FACTUAL_ERROR",
        rationale: "Response A states a wrong boiling time for eggs.",
      },
      dp.mod1.id,
    );
    expect(proposed).toMatchObject({ ok: true, status: "PENDING_CONFIRMATION" });
    if (!proposed.ok) return;
    expect(await db.datapoint.findUniqueOrThrow({ where: { id: dp.pairwise } })).toMatchObject({
      status: "CLOSED",
      finalLabel: null,
    });
    expect(
      await reviewOverride({ decisionId: proposed.decisionId, verdict: "confirm", rationale: "" }, dp.mod1.id),
    ).toMatchObject({ ok: false, reason: "SAME_MODERATOR" });
    expect(
      await reviewOverride({ decisionId: proposed.decisionId, verdict: "confirm", rationale: "" }, participant.id),
    ).toMatchObject({ ok: false, reason: "RECUSED" });
    expect(
      await finalizeDecision({ mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE }, dp.mod2.id),
    ).toMatchObject({ ok: false, reason: "PENDING_OVERRIDE" });

    const before = await auditHeadSeq();
    expect(
      await reviewOverride({ decisionId: proposed.decisionId, verdict: "confirm", rationale: "" }, dp.mod2.id),
    ).toMatchObject({ ok: true, status: "FINAL" });
    expect(await db.datapoint.findUniqueOrThrow({ where: { id: dp.pairwise } })).toMatchObject({
      status: "FINALIZED",
      finalLabel: "B",
    });
    expect(await eventsAfter(before)).toEqual([
      expect.objectContaining({
        type: "decision.finalized",
        body: expect.objectContaining({ isOverride: true, overrideReason: "FACTUAL_ERROR", confirmedById: dp.mod2.id }),
      }),
    ]);
  });

  it("lets a second moderator decline an override, with a reason", async () => {
    const dp = await closedDatapoint();
    const proposed = await finalizeDecision(
      {
        mode: "override",
        datapointId: dp.pairwise,
        label: "TIE",
        overrideReason: "OTHER",
        rationale: "Both responses seem equally fine to me.",
      },
      dp.mod1.id,
    );
    if (!proposed.ok) throw new Error(proposed.message);
    expect(
      await reviewOverride({ decisionId: proposed.decisionId, verdict: "decline", rationale: "short" }, dp.mod2.id),
    ).toMatchObject({ ok: false, reason: "RATIONALE_REQUIRED" });
    expect(
      await reviewOverride(
        {
          decisionId: proposed.decisionId,
          verdict: "decline",
          rationale: "The vote was clear and no error was shown.",
        },
        dp.mod2.id,
      ),
    ).toMatchObject({ ok: true, status: "DECLINED" });
    expect(
      await finalizeDecision({ mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE }, dp.mod2.id),
    ).toMatchObject({ ok: true, status: "FINAL" });
  });

  it("refuses voters and commenters (recusal), open voting, no-outcome accepts and fake overrides", async () => {
    const dp = await closedDatapoint(["A", "B"]);
    const voterModerator = await makeUser("MODERATOR");
    const open = await makeBatch();
    await castVote(
      { datapointId: open.pairwise, option: "A", rationale: null, idempotencyKey: randomUUID() },
      voterModerator.id,
    );
    expect(
      await finalizeDecision({ mode: "accept", datapointId: open.pairwise, rationale: RATIONALE }, dp.mod1.id),
    ).toMatchObject({ ok: false, reason: "VOTING_OPEN" });
    const openBatchId = (await db.batch.findUniqueOrThrow({ where: { slug: open.slug } })).id;
    await closeBatchNow(openBatchId, dp.admin.id);
    expect(
      await finalizeDecision({ mode: "accept", datapointId: open.pairwise, rationale: RATIONALE }, voterModerator.id),
    ).toEqual({
      ok: false,
      reason: "RECUSED",
      message: "You voted on this datapoint, so another moderator must decide it.",
    });
    expect(
      await finalizeDecision({ mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE }, dp.mod1.id),
    ).toMatchObject({ ok: false, reason: "NO_OUTCOME" });
    expect(
      await finalizeDecision(
        { mode: "override", datapointId: dp.pairwise, label: "C", overrideReason: "OTHER", rationale: RATIONALE },
        dp.mod1.id,
      ),
    ).toMatchObject({ ok: false, reason: "INVALID_LABEL" });
  });
});

describe("appeals", () => {
  it("reopen voting when accepted, and are answered publicly when rejected", async () => {
    const dp = await closedDatapoint();
    const decided = await finalizeDecision(
      { mode: "accept", datapointId: dp.pairwise, rationale: RATIONALE },
      dp.mod1.id,
    );
    if (!decided.ok) throw new Error(decided.message);
    const citizen = await makeUser();
    const other = await makeUser();
    const appeal = await fileAppeal(
      { datapointId: dp.pairwise, reason: "Response A recommends an unsafe practice for children." },
      citizen.id,
    );
    if (!appeal.ok) throw new Error(appeal.message);
    expect(
      await fileAppeal(
        { datapointId: dp.pairwise, reason: "Response A recommends an unsafe practice for children." },
        citizen.id,
      ),
    ).toMatchObject({ ok: false, reason: "ALREADY_APPEALED" });
    const second = await fileAppeal(
      { datapointId: dp.pairwise, reason: "I also think this label deserves another look." },
      other.id,
    );
    if (!second.ok) throw new Error(second.message);

    expect(
      await resolveAppeal({ appealId: appeal.appealId, verdict: "accept", rationale: RATIONALE }, dp.mod1.id),
    ).toMatchObject({ ok: false, reason: "OWN_DECISION" });
    expect(
      await resolveAppeal({ appealId: appeal.appealId, verdict: "accept", rationale: RATIONALE }, citizen.id),
    ).toMatchObject({ ok: false, reason: "NOT_ALLOWED" });
    const before = await auditHeadSeq();
    expect(
      await resolveAppeal(
        {
          appealId: appeal.appealId,
          verdict: "accept",
          rationale: "The safety concern is substantive; voters should weigh it.",
        },
        dp.mod2.id,
      ),
    ).toMatchObject({ ok: true });
    expect((await eventsAfter(before)).map((e) => e.type)).toEqual(["decision.reopened"]);
    expect(await db.datapoint.findUniqueOrThrow({ where: { id: dp.pairwise } })).toMatchObject({
      status: "REOPENED",
      finalLabel: null,
    });
    expect(await db.decision.findUniqueOrThrow({ where: { id: decided.decisionId } })).toMatchObject({
      status: "SUPERSEDED",
    });
    // Voting is open again on the reopened datapoint.
    const voter = await makeUser();
    expect(
      await castVote(
        { datapointId: dp.pairwise, option: "B", rationale: null, idempotencyKey: randomUUID() },
        voter.id,
      ),
    ).toMatchObject({ ok: true });
    await flushAuditQueue();

    expect(
      await resolveAppeal({ appealId: second.appealId, verdict: "accept", rationale: RATIONALE }, dp.mod2.id),
    ).toMatchObject({ ok: false, reason: "SUPERSEDED" });
    expect(
      await resolveAppeal(
        { appealId: second.appealId, verdict: "reject", rationale: "Settled: the label was already reopened." },
        dp.mod2.id,
      ),
    ).toMatchObject({ ok: true });
    expect((await verifyStoredLog()).ok).toBe(true);
  });
});

describe("lifecycle", () => {
  it("opens and closes batches on schedule with one event per batch", async () => {
    const future = await makeBatch({
      opensAt: new Date(Date.now() + 3_600_000),
      closesAt: new Date(Date.now() + 7_200_000),
    });
    expect(await db.datapoint.count({ where: { batch: { slug: future.slug }, status: "DRAFT" } })).toBe(3);
    const before = await auditHeadSeq();
    expect(await advanceLifecycle(new Date(Date.now() + 3_700_000))).toMatchObject({ opened: 3 });
    expect(await advanceLifecycle(new Date(Date.now() + 7_300_000))).toMatchObject({ closed: expect.any(Number) });
    expect(await db.datapoint.count({ where: { batch: { slug: future.slug }, status: "CLOSED" } })).toBe(3);
    const types = (await eventsAfter(before)).map((e) => e.type);
    expect(types.filter((t) => t === "batch.opened")).toHaveLength(1);
    expect(types).toContain("batch.closed");
    expect(await advanceLifecycle(new Date(Date.now() + 7_300_000))).toEqual({ opened: 0, closed: 0 });
  });
});
