import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { sha256Hex } from "@/lib/audit/hash";
import { flag, postComment } from "@/lib/comments/mutations";
import { db } from "@/lib/db";
import { auditHeadSeq, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { setDisplayName } from "@/lib/users/names/mutations";
import { castVote } from "@/lib/votes/mutations";
import { findAuditEvents, getAuditHead, getStory, type AuditPage } from "./data";
import { groupIntoRounds } from "./rules";
import type { AuditQuery } from "./schema";
import { flushAuditQueue } from "@/lib/audit/mutations";

type User = Awaited<ReturnType<typeof makeUser>>;
let batch: Awaited<ReturnType<typeof makeBatch>>;
let alice: User;
let bob: User;
let moderator: User;
let commentId: string;

const vote = async (datapointId: string, option: string, user: User) => {
  const outcome = await castVote({ datapointId, option, rationale: null, idempotencyKey: randomUUID() }, user.id);
  if (!outcome.ok) throw new Error(outcome.message);
  await flushAuditQueue(); // the vote's event is sequenced in the background; the views read the log
};
/** Serialises anything the views return, so a test can search it for what must not leak. */
const dump = (value: unknown) =>
  JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v instanceof Map ? Object.fromEntries(v) : v));

beforeAll(async () => {
  batch = await makeBatch();
  [alice, bob, moderator] = [await makeUser(), await makeUser(), await makeUser("MODERATOR")];
  await setDisplayName(bob.id, "Bob Builder");
  await vote(batch.pairwise, "A", alice);
  await vote(batch.pairwise, "B", bob);
  await vote(batch.pairwise, "B", alice);
  await vote(batch.rating, "4", alice);
  await vote(batch.classification, "fine", bob);
  const posted = await postComment({ datapointId: batch.pairwise, body: "B answers the question." }, alice.id);
  if (!posted.ok) throw new Error(posted.message);
  commentId = posted.commentId;
  const flagged = await flag({ target: "comment", id: commentId, reason: "OFF_TOPIC" }, bob.id);
  if (!flagged.ok) throw new Error(flagged.message);
  await postComment({ datapointId: batch.rating, body: "Elsewhere." }, bob.id);
});

describe("the story of a datapoint", () => {
  it("lists its events and its batch's in seq order, under pseudonyms or display names", async () => {
    const story = (await getStory(batch.pairwise))!;
    const seqs = story.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect(story.events.map((e) => e.type)).toEqual([
      "batch.created",
      "datapoint.published",
      "vote.cast",
      "vote.cast",
      "vote.changed",
      "comment.posted",
      "flag.raised",
    ]);
    expect(story.events.every((e) => e.datapointId === batch.pairwise || e.type === "batch.created")).toBe(true);

    const [, published, aliceVote, bobVote, change, comment] = story.events;
    expect(published!.actor).toBeNull();
    expect(published!.facts).toContainEqual({ label: "Proposed label", value: "“A is better”" });
    expect(aliceVote!.actor).toEqual({ name: alice.pseudonym, pseudonym: alice.pseudonym });
    expect(aliceVote!.sentence).toBe(`${alice.pseudonym} voted “A is better”.`);
    expect(aliceVote!.facts).toContainEqual({ label: "Tally visible when voting", value: "no" });
    expect(bobVote!.actor).toEqual({ name: "Bob Builder", pseudonym: bob.pseudonym });
    expect(change!.sentence).toBe(`${alice.pseudonym} changed their vote from “A is better” to “B is better”.`);
    expect(change!.leafHash).toMatch(/^[0-9a-f]{64}$/);
    expect(comment!.comment).toEqual({ id: commentId, version: 1 });
    expect(comment!.facts).toEqual([{ label: "Body hash", value: sha256Hex("B answers the question."), kind: "hash" }]);
    expect(story.comments.get(commentId)).toEqual({ state: "visible", version: 1, body: "B answers the question." });
    expect(story.decisions).toEqual([]);
    expect(story.truncated).toBe(false);
  });

  it("never carries an email", async () => {
    const text = dump(await getStory(batch.pairwise)) + dump(await findAuditEvents({}));
    expect(text).not.toContain("@example.test");
    expect(text).toContain(alice.pseudonym);
  });

  it("is not told for a malformed, unknown or draft datapoint", async () => {
    expect(await getStory("not-a-uuid")).toBeNull();
    expect(await getStory(randomUUID())).toBeNull();
    const later = await makeBatch({ opensAt: new Date(Date.now() + 86_400_000) });
    expect(await getStory(later.pairwise)).toBeNull();
  });

  it("shows decisions, appeals and the rounds an accepted appeal starts", async () => {
    const policy = await db.batch.findUniqueOrThrow({
      where: { slug: batch.slug },
      select: { policy: { select: { id: true, contentHash: true } } },
    });
    const decide = (label: string) =>
      db.$transaction(async (tx) => {
        const decision = await tx.decision.create({
          data: {
            datapointId: batch.classification,
            label,
            policyId: policy.policy.id,
            policyHash: policy.policy.contentHash,
            tally: "{}",
            lastSeq: await auditHeadSeq(),
            voteDigest: "0".repeat(64),
            moderatorId: moderator.id,
            rationale: `Because ${label}.`,
            status: "FINAL",
          },
        });
        await appendEvent(tx, {
          type: "decision.finalized",
          actorId: moderator.id,
          decisionId: decision.id,
          datapointId: batch.classification,
          label,
          policyHash: policy.policy.contentHash,
          tallyHash: "1".repeat(64),
          lastSeq: Number(decision.lastSeq),
          voteDigest: decision.voteDigest,
          isOverride: false,
          overrideReason: null,
          rationaleHash: sha256Hex(decision.rationale),
          confirmedById: null,
        });
        return decision;
      });
    const first = await decide("fine");
    await db.$transaction(async (tx) => {
      const appeal = await tx.appeal.create({
        data: {
          datapointId: batch.classification,
          decisionId: first.id,
          appellantId: alice.id,
          reason: "private words",
        },
      });
      await appendEvent(tx, {
        type: "appeal.filed",
        actorId: alice.id,
        appealId: appeal.id,
        decisionId: first.id,
        datapointId: batch.classification,
        reasonHash: sha256Hex("private words"),
      });
      await tx.decision.update({ where: { id: first.id }, data: { status: "SUPERSEDED" } });
      await tx.appeal.update({
        where: { id: appeal.id },
        data: { status: "ACCEPTED", resolvedById: moderator.id, resolution: "Misread.", resolvedAt: new Date() },
      });
      await appendEvent(tx, {
        type: "decision.reopened",
        actorId: moderator.id,
        appealId: appeal.id,
        decisionId: first.id,
        datapointId: batch.classification,
        rationaleHash: sha256Hex("Misread."),
      });
    });
    await decide("over_refusal");

    const story = (await getStory(batch.classification))!;
    expect(story.decisions.map((d) => [d.label, d.status])).toEqual([
      ["Fine", "SUPERSEDED"],
      ["Over-refusal", "FINAL"],
    ]);
    expect(story.decisions[1]!.moderator).toEqual({ name: moderator.pseudonym, pseudonym: moderator.pseudonym });
    expect(story.appeals).toMatchObject([
      { status: "ACCEPTED", resolution: "Misread.", appellant: { pseudonym: alice.pseudonym } },
    ]);
    expect(dump(story)).not.toContain("private words");
    const rounds = groupIntoRounds(story.events);
    expect(rounds.map((r) => r.events.at(-1)!.type)).toEqual(["appeal.filed", "decision.finalized"]);
    expect(rounds[1]!.events[0]!.type).toBe("decision.reopened");
    expect(story.events.find((e) => e.type === "decision.finalized")!.facts).toContainEqual({
      label: "Label",
      value: "“Fine”",
    });
  });
});

describe("the browsable log", () => {
  /** Walks every page, older and then back newer, checking each page's size and order. */
  async function walk(query: AuditQuery, take: number) {
    const older: bigint[] = [];
    let page: AuditPage = await findAuditEvents(query, take);
    expect(page.newerAfter).toBeNull();
    for (;;) {
      expect(page.events.length).toBeLessThanOrEqual(take);
      older.push(...page.events.map((e) => e.seq));
      if (page.olderBefore === null) break;
      page = await findAuditEvents({ ...query, position: { before: page.olderBefore } }, take);
    }
    const newer: bigint[] = [...page.events.map((e) => e.seq)];
    while (page.newerAfter !== null) {
      page = await findAuditEvents({ ...query, position: { after: page.newerAfter } }, take);
      newer.unshift(...page.events.map((e) => e.seq));
    }
    return { older, newer };
  }
  const all = async () => (await eventsAfter(0n)).reverse();

  it("pages the whole log newest first without gaps or duplicates, both ways", async () => {
    const head = await getAuditHead();
    const expected = (await all()).map((e) => e.seq);
    expect(expected[0]).toBe(head!.lastSeq);
    for (const take of [7, 50]) {
      const { older, newer } = await walk({}, take);
      expect(older).toEqual(expected);
      expect(newer).toEqual(expected);
    }
  });

  it("filters by type, datapoint and actor, alone and together, across pages", async () => {
    const events = await all();
    const cases: [AuditQuery, (e: (typeof events)[number]) => boolean][] = [
      [{ type: "vote.cast" }, (e) => e.type === "vote.cast"],
      [{ datapoint: batch.pairwise }, (e) => e.body.datapointId === batch.pairwise],
      [{ actor: alice.pseudonym }, (e) => e.body.actorId === alice.id],
      [{ actor: "system" }, (e) => e.body.actorId === null],
      [{ type: "vote.cast", actor: bob.pseudonym }, (e) => e.type === "vote.cast" && e.body.actorId === bob.id],
      [{ from: 3n, to: 12n }, (e) => e.seq >= 3n && e.seq <= 12n],
    ];
    for (const [query, matches] of cases) {
      const expected = events.filter(matches).map((e) => e.seq);
      expect(expected.length).toBeGreaterThan(1);
      const { older, newer } = await walk(query, 3);
      expect(older).toEqual(expected);
      expect(newer).toEqual(expected);
    }
  });

  it("starts at a given seq, and answers an unknown actor with no events", async () => {
    const page = await findAuditEvents({ position: { before: 6n } }, 3);
    expect(page.events.map((e) => e.seq)).toEqual([5n, 4n, 3n]);
    expect(page.newerAfter).toBe(5n);
    expect(page.olderBefore).toBe(3n);
    const unknown = await findAuditEvents({ actor: "no-such-person-0000" });
    expect(unknown).toMatchObject({ events: [], unknownActor: true, olderBefore: null, newerAfter: null });
  });

  it("names datapoints only when public, and keeps each event's canonical body", async () => {
    const page = await findAuditEvents({ datapoint: batch.pairwise, type: "datapoint.published" });
    expect(page.events).toHaveLength(1);
    expect(page.datapoints.get(batch.pairwise)).toBe("Pairwise");
    expect(JSON.parse(page.events[0]!.body)).toMatchObject({
      type: "datapoint.published",
      datapointId: batch.pairwise,
    });
    const later = await makeBatch({ opensAt: new Date(Date.now() + 86_400_000) });
    const draft = await findAuditEvents({ datapoint: later.rating });
    expect(draft.events.map((e) => e.type)).toEqual(["datapoint.published"]);
    expect(draft.datapoints.size).toBe(0);
  });
});
