// Live tampering: an attacker with SQL access changes the tables behind the downloads (the audit
// log itself refuses changes). The release made afterwards must fail verification, naming the
// datapoint, decision or seq; each change is undone before the next, so each is judged alone.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { createCheckpoint } from "@/lib/checkpoints/mutations";
import { db } from "@/lib/db";
import { finalizeDecision } from "@/lib/decisions/mutations";
import { decidedBatch, signWithTestCheckpointKey, temporaryDir } from "@/lib/exports/fixtures";
import { writeRelease } from "@/lib/exports/release";
import { filtersOf } from "@/lib/exports/schema";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { digestOf } from "./forgery";
import { openRelease } from "./source";
import { verifyRelease, type Finding } from "./verify";

signWithTestCheckpointKey("plenary.live-tamper-test/log");
const root = temporaryDir("plenary-live-tamper-");
let releases = 0;
let honest: string;
let b1: Awaited<ReturnType<typeof decidedBatch>>;
let b2: Awaited<ReturnType<typeof decidedBatch>>;

async function releaseNow(): Promise<string> {
  const dir = path.join(root, `release-${++releases}`);
  const written = await writeRelease(dir, filtersOf({}));
  if (!written.ok) throw new Error(written.message);
  return dir;
}

async function findingsOf(dir: string): Promise<Finding[]> {
  return (await verifyRelease(await openRelease(dir))).findings;
}

/** The findings of a release made while `tamper` is in effect; `undo` puts the tables back. */
async function whileTampered(
  tamper: () => Promise<unknown>,
  undo: () => Promise<unknown>,
): Promise<{ dir: string; findings: Finding[] }> {
  await tamper();
  try {
    const dir = await releaseNow();
    return { dir, findings: await findingsOf(dir) };
  } finally {
    await undo();
  }
}

const finalDecision = (datapointId: string) =>
  db.decision.findFirstOrThrow({ where: { datapointId, status: "FINAL" } });
const naming = (code: string, id: string) => expect.objectContaining({ code, detail: expect.stringContaining(id) });

beforeAll(async () => {
  b1 = await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"], rating: ["4", "4", "4", "5", "4"] });
  b2 = await decidedBatch({
    pairwise: ["B", "B", "B", "A", "A"],
    classification: ["fine", "fine", "fine", "over_refusal", "fine"],
  });
  await createCheckpoint();
  honest = await releaseNow();
}, 180_000);

describe("a release made after the tables were changed behind the log", () => {
  it("verifies when nothing was changed", async () => {
    expect(await findingsOf(honest)).toEqual([]);
  });

  it("is refused for a finalized datapoint's prompt and chosen response changed in datapoints", async () => {
    const before = await db.datapoint.findUniqueOrThrow({ where: { id: b1.pairwise } });
    const { findings } = await whileTampered(
      () =>
        db.$executeRawUnsafe(
          `UPDATE datapoints SET prompt = 'How do I fry an egg?', responses = jsonb_set(responses, '{0,text}', '"Fry it in butter."') WHERE id = $1::uuid`,
          b1.pairwise,
        ),
      () =>
        db.datapoint.update({
          where: { id: b1.pairwise },
          data: { prompt: before.prompt, responses: before.responses as object },
        }),
    );
    expect(findings).toContainEqual(naming("CONTENT_HASH_MISMATCH", b1.pairwise));
  });

  it("is refused for a decision row deleted", async () => {
    const decision = await finalDecision(b2.pairwise);
    // No appeal refers to it, so no foreign key stands in the way.
    const { findings } = await whileTampered(
      () => db.$executeRawUnsafe(`DELETE FROM decisions WHERE id = $1::uuid`, decision.id),
      () => db.decision.create({ data: decision }),
    );
    expect(findings).toContainEqual(naming("DECISION_RECORD_MISSING", decision.id));
  });

  it("is refused for a decision's label changed in decisions", async () => {
    const decision = await finalDecision(b1.pairwise);
    const { findings } = await whileTampered(
      () => db.$executeRawUnsafe(`UPDATE decisions SET label = 'B' WHERE id = $1::uuid`, decision.id),
      () => db.decision.update({ where: { id: decision.id }, data: { label: decision.label } }),
    );
    expect(findings).toContainEqual(naming("DECISION_RECORD_MISMATCH", decision.id));
    expect(findings).toContainEqual(naming("DECISION_ROW_MISMATCH", decision.id));
  });

  it("is unchanged by a vote_history row's option changed: votes.jsonl states each vote from its event", async () => {
    const vote = await db.voteHistory.findFirstOrThrow({ where: { datapointId: b1.rating } });
    const { dir, findings } = await whileTampered(
      () => db.$executeRawUnsafe(`UPDATE vote_history SET option = '1' WHERE id = $1::uuid`, vote.id),
      () => db.voteHistory.update({ where: { id: vote.id }, data: { option: vote.option } }),
    );
    expect(findings).toEqual([]);
    expect(digestOf(dir, "votes.jsonl")).toEqual(digestOf(honest, "votes.jsonl"));
  });

  it("is refused for a vote_history row pointed at another vote's event", async () => {
    const [vote, other] = await db.voteHistory.findMany({
      where: { datapointId: b2.classification },
      orderBy: { createdAt: "asc" },
      take: 2,
    });
    const otherSeq = await db.$queryRaw<
      { seq: bigint }[]
    >`SELECT plenary_event_seq(audit_seq, audit_queue_id) AS seq FROM vote_history WHERE id = ${other!.id}::uuid`;
    const { findings } = await whileTampered(
      () =>
        db.$executeRawUnsafe(`UPDATE vote_history SET audit_seq = $1 WHERE id = $2::uuid`, otherSeq[0]!.seq, vote!.id),
      () => db.voteHistory.update({ where: { id: vote!.id }, data: { auditSeq: vote!.auditSeq } }),
    );
    expect(findings).toContainEqual(naming("VOTE_ROW_MISMATCH", b2.classification));
  });

  it("is refused for votes changed in the votes table before a moderator decided", async () => {
    const batch = await makeBatch();
    const voters = await Promise.all(Array.from({ length: 5 }, () => makeUser()));
    for (const [i, voter] of voters.entries()) {
      const cast = await castVote(
        { datapointId: batch.pairwise, option: i < 4 ? "A" : "B", rationale: null, idempotencyKey: randomUUID() },
        voter.id,
      );
      if (!cast.ok) throw new Error(cast.message);
    }
    await flushAuditQueue();
    const admin = await makeUser("ADMIN");
    const moderator = await makeUser("MODERATOR");
    await closeBatchNow((await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id, admin.id);
    // The tally a decision records is read from the votes table: three A votes turned to B there.
    await db.$executeRawUnsafe(
      `UPDATE votes SET option = 'B' WHERE datapoint_id = $1::uuid AND user_id = ANY($2::uuid[])`,
      batch.pairwise,
      voters.slice(0, 3).map((v) => v.id),
    );
    const decided = await finalizeDecision(
      {
        mode: "accept",
        datapointId: batch.pairwise,
        rationale: "The public vote is clear and the discussion raised no new facts.",
      },
      moderator.id,
    );
    expect(decided).toMatchObject({ ok: true });
    await createCheckpoint();
    const findings = await findingsOf(await releaseNow());
    expect(findings).toContainEqual(naming("TALLY_MISMATCH", batch.pairwise));
  });
});
