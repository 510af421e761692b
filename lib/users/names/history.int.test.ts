import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findAuditEvents, getStory } from "@/lib/audit/views/data";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { db } from "@/lib/db";
import { decisionContext, labelHistory } from "@/lib/decisions/data";
import { fileAppeal } from "@/lib/decisions/appeals/mutations";
import { finalizeDecision } from "@/lib/decisions/mutations";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { deleteAccount } from "@/lib/users/mutations";
import { castVote } from "@/lib/votes/mutations";
import { setDisplayName } from "./mutations";

type User = Awaited<ReturnType<typeof makeUser>>;

async function vote(datapointId: string, option: string, user: User) {
  const outcome = await castVote({ datapointId, option, rationale: null, idempotencyKey: randomUUID() }, user.id);
  if (!outcome.ok) throw new Error(outcome.message);
  await flushAuditQueue();
}

async function rename(user: User, name: string | null) {
  expect(await setDisplayName(user.id, name)).toEqual({ ok: true });
}

describe("history keeps the names it was written under", () => {
  it("shows each event's actor as named then, beside the pseudonym, in the story and the log", async () => {
    const batch = await makeBatch();
    const voter = await makeUser();
    await rename(voter, "Ursula Early");
    await vote(batch.pairwise, "A", voter);
    await rename(voter, "Ursula Later");
    await vote(batch.pairwise, "B", voter);

    const story = (await getStory(batch.pairwise))!;
    const cast = story.events.find((e) => e.type === "vote.cast")!;
    const changed = story.events.find((e) => e.type === "vote.changed")!;
    expect(cast.actor).toEqual({ name: "Ursula Early", pseudonym: voter.pseudonym });
    expect(cast.sentence).toBe(`Ursula Early (${voter.pseudonym}) voted “A is better”.`);
    expect(changed.actor).toEqual({ name: "Ursula Later", pseudonym: voter.pseudonym });

    const log = await findAuditEvents({ actor: voter.pseudonym });
    expect(log.events.map((e) => [e.type, e.actor?.name])).toEqual([
      ["vote.changed", "Ursula Later"],
      ["user.renamed", "Ursula Early"], // the rename itself still reads under the name it replaced
      ["vote.cast", "Ursula Early"],
      ["user.renamed", voter.pseudonym],
    ]);
    expect(log.events.every((e) => e.actor?.pseudonym === voter.pseudonym)).toBe(true);
    expect(log.events[1]!.sentence).toBe(`Ursula Early (${voter.pseudonym}) chose a new display name.`);
  });

  it("keeps decisions, appeals and the moderators' vote timeline under the names they were made under", async () => {
    const batch = await makeBatch();
    const voters = [await makeUser(), await makeUser(), await makeUser()];
    await rename(voters[0]!, "Vera Before");
    for (const voter of voters) await vote(batch.pairwise, "A", voter);
    const [moderator, reviewer, admin] = [
      await makeUser("MODERATOR"),
      await makeUser("MODERATOR"),
      await makeUser("ADMIN"),
    ];
    await rename(moderator, "Morgan Before");
    const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
    expect(await closeBatchNow(batchId, admin.id)).toMatchObject({ ok: true });
    expect(
      await finalizeDecision(
        {
          mode: "accept",
          datapointId: batch.pairwise,
          rationale: "The vote is clear and nothing in the discussion contradicts it.",
        },
        moderator.id,
      ),
    ).toMatchObject({ ok: true });
    const appellant = await makeUser();
    await rename(appellant, "Abel Before");
    expect(
      await fileAppeal(
        { datapointId: batch.pairwise, reason: "Response A recommends an unsafe practice for children." },
        appellant.id,
      ),
    ).toMatchObject({ ok: true });
    await rename(moderator, "Morgan After");
    await rename(voters[0]!, "Vera After");
    await rename(appellant, "Abel After");

    const history = await labelHistory(batch.pairwise);
    expect(history.decisions[0]!.moderator).toEqual({ name: "Morgan Before", pseudonym: moderator.pseudonym });
    expect(history.appeals[0]!.appellant).toEqual({ name: "Abel Before", pseudonym: appellant.pseudonym });
    const story = (await getStory(batch.pairwise))!;
    expect(story.decisions[0]!.moderator).toEqual({ name: "Morgan Before", pseudonym: moderator.pseudonym });
    expect(story.appeals[0]!.appellant).toEqual({ name: "Abel Before", pseudonym: appellant.pseudonym });
    expect(story.events.find((e) => e.type === "appeal.filed")!.actor).toEqual({
      name: "Abel Before",
      pseudonym: appellant.pseudonym,
    });
    expect(story.events.find((e) => e.type === "decision.finalized")!.actor).toEqual({
      name: "Morgan Before",
      pseudonym: moderator.pseudonym,
    });

    const context = (await decisionContext(batch.pairwise, reviewer.id))!;
    expect(context.timeline.map((v) => v.voter)).toContainEqual({
      name: "Vera Before",
      pseudonym: voters[0]!.pseudonym,
    });
    expect(context.history.decisions[0]!.moderator).toEqual({ name: "Morgan Before", pseudonym: moderator.pseudonym });
  });

  it("forgets a deleted account's names: its events show the pseudonym alone", async () => {
    const batch = await makeBatch();
    const voter = await makeUser();
    await rename(voter, "Gone Soon");
    await vote(batch.pairwise, "A", voter);
    expect(await deleteAccount(voter.id)).toEqual({ ok: true });
    const story = (await getStory(batch.pairwise))!;
    expect(story.events.find((e) => e.type === "vote.cast")!.actor).toEqual({
      name: voter.pseudonym,
      pseudonym: voter.pseudonym,
    });
    expect(
      JSON.stringify((await findAuditEvents({ actor: voter.pseudonym })).events.map((e) => [e.sentence, e.actor])),
    ).not.toContain("Gone Soon");
    expect(await db.userName.count({ where: { userId: voter.id } })).toBe(0);
  });
});
