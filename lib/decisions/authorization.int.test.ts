// The authorization matrix: every role against every moderator action, through the real
// services (which read the actor's roles in their own transaction and fail closed).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fileAppeal, resolveAppeal } from "@/lib/decisions/appeals/mutations";
import { flag, postComment, redactComment } from "@/lib/comments/mutations";
import { db } from "@/lib/db";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { dismissFlag, hideComment, keepComment } from "@/lib/moderation/mutations";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import type { RoleName } from "@/lib/users/schema";
import { castVote } from "@/lib/votes/mutations";
import { finalizeDecision, reviewOverride } from "./mutations";

const RATIONALE = "A rationale long enough to be published with the step.";

/** A closed datapoint where A won, a flagged comment, and helpers to reach each action's state. */
async function scenario() {
  const batch = await makeBatch();
  for (const option of ["A", "A", "A", "B"]) {
    const voter = await makeUser();
    await castVote({ datapointId: batch.pairwise, option, rationale: null, idempotencyKey: randomUUID() }, voter.id);
  }
  const author = await makeUser();
  const reporter = await makeUser();
  const posted = await postComment({ datapointId: batch.pairwise, body: "A comment someone will flag." }, author.id);
  if (!posted.ok) throw new Error(posted.message);
  const flagged = await flag({ target: "comment", id: posted.commentId, reason: "SPAM" }, reporter.id);
  if (!flagged.ok) throw new Error(flagged.message);
  const [mod1, admin] = await Promise.all([makeUser("MODERATOR"), makeUser("ADMIN")]);
  const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
  const open = await makeBatch();
  const openBatchId = (await db.batch.findUniqueOrThrow({ where: { slug: open.slug } })).id;
  await closeBatchNow(batchId, admin.id);
  const proposeOverride = async () => {
    const r = await finalizeDecision(
      { mode: "override", datapointId: batch.pairwise, label: "B", overrideReason: "OTHER", rationale: RATIONALE },
      mod1.id,
    );
    if (!r.ok) throw new Error(r.message);
    return r.decisionId;
  };
  const appeal = async () => {
    const r = await finalizeDecision({ mode: "accept", datapointId: batch.pairwise, rationale: RATIONALE }, mod1.id);
    if (!r.ok) throw new Error(r.message);
    const a = await fileAppeal(
      { datapointId: batch.pairwise, reason: "Please look at this label once more." },
      reporter.id,
    );
    if (!a.ok) throw new Error(a.message);
    return a.appealId;
  };
  return {
    datapointId: batch.pairwise,
    commentId: posted.commentId,
    flagId: flagged.flagId,
    openBatchId,
    proposeOverride,
    appeal,
  };
}

type Scenario = Awaited<ReturnType<typeof scenario>>;
type Action = {
  name: string;
  allowed: RoleName[];
  run: (s: Scenario, actorId: string) => Promise<{ ok: boolean; reason?: string }>;
};

const ACTIONS: Action[] = [
  {
    name: "accept the tally",
    allowed: ["MODERATOR"],
    run: (s, a) => finalizeDecision({ mode: "accept", datapointId: s.datapointId, rationale: RATIONALE }, a),
  },
  {
    name: "propose an override",
    allowed: ["MODERATOR"],
    run: (s, a) =>
      finalizeDecision(
        { mode: "override", datapointId: s.datapointId, label: "TIE", overrideReason: "OTHER", rationale: RATIONALE },
        a,
      ),
  },
  {
    name: "confirm an override",
    allowed: ["MODERATOR"],
    run: async (s, a) =>
      reviewOverride({ decisionId: await s.proposeOverride(), verdict: "confirm", rationale: "" }, a),
  },
  {
    name: "decline an override",
    allowed: ["MODERATOR"],
    run: async (s, a) =>
      reviewOverride({ decisionId: await s.proposeOverride(), verdict: "decline", rationale: RATIONALE }, a),
  },
  {
    name: "accept an appeal",
    allowed: ["MODERATOR"],
    run: async (s, a) => resolveAppeal({ appealId: await s.appeal(), verdict: "accept", rationale: RATIONALE }, a),
  },
  {
    name: "reject an appeal",
    allowed: ["MODERATOR"],
    run: async (s, a) => resolveAppeal({ appealId: await s.appeal(), verdict: "reject", rationale: RATIONALE }, a),
  },
  { name: "hide a comment", allowed: ["MODERATOR"], run: (s, a) => hideComment(s.commentId, "Spam, as flagged.", a) },
  {
    name: "keep a flagged comment",
    allowed: ["MODERATOR"],
    run: (s, a) => keepComment(s.commentId, "Not spam after all.", a),
  },
  { name: "dismiss a flag", allowed: ["MODERATOR"], run: (s, a) => dismissFlag(s.flagId, "Not spam after all.", a) },
  {
    name: "redact a comment",
    allowed: ["MODERATOR", "ADMIN"],
    run: (s, a) => redactComment(s.commentId, "Court order 2026-117.", a),
  },
  { name: "close voting early", allowed: ["MODERATOR", "ADMIN"], run: (s, a) => closeBatchNow(s.openBatchId, a) },
];

const ROLES: (RoleName | "ANONYMOUS")[] = ["ANONYMOUS", "CITIZEN", "RESEARCHER", "ADMIN", "MODERATOR"];

describe("authorization matrix", () => {
  it.each(ACTIONS)(
    "$name: allowed only for $allowed",
    async (action) => {
      for (const role of ROLES) {
        const s = await scenario();
        const actorId = role === "ANONYMOUS" ? randomUUID() : (await makeUser(role)).id;
        const result = await action.run(s, actorId);
        const allowed = role !== "ANONYMOUS" && action.allowed.includes(role);
        expect({ role, ok: result.ok }).toEqual({ role, ok: allowed });
        if (!allowed) expect(["NOT_ALLOWED", "SIGNED_OUT"]).toContain(result.reason);
      }
    },
    120_000,
  );
});
