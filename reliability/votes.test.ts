// 200 voters casting and changing votes at once through POST /api/votes, then one voter
// bursting 100 votes at once against the per-user vote limit.
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "@/lib/limits/rules";
import { expectAcknowledgedVotesStored, expectChainValid, expectGaplessLog, expectVotesMatchLog } from "./checks";
import { votingSystemForFile } from "./system";
import { Ledger, ballot, makeVoters, newVote, pick, postVote, voteRetrying503 } from "./voters";

const VOTERS = 200;
const ROUNDS = 2; // each voter casts on every datapoint, then changes each vote

const system = votingSystemForFile();

describe("200 concurrent voters", () => {
  it("store every acknowledged vote exactly once, with a gapless seq and a valid chain", async () => {
    const voters = await makeVoters(system.s, VOTERS);
    const ledger = new Ledger();
    const replays = new Ledger();
    const started = Date.now();
    await Promise.all(
      voters.map(async (voter) => {
        for (let round = 0; round < ROUNDS; round++) {
          for (const { datapointId, options } of ballot(system.batch)) {
            const vote = newVote(datapointId, pick(options));
            await voteRetrying503(system.app.url, voter, vote, ledger);
            // A client that lost the answer retries with the same key: it must not count twice.
            if (Math.random() < 0.1) await voteRetrying503(system.app.url, voter, vote, replays);
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `reliability: ${ledger.acks.length} votes from ${VOTERS} concurrent voters in ${seconds.toFixed(1)} s (${(ledger.acks.length / seconds).toFixed(0)}/system.s), ${replays.acks.length} replays`,
    );

    // Every vote acknowledged; the only other answer allowed is a 503 "busy" that the client retried.
    expect(ledger.acks.length, ledger.summary()).toBe(VOTERS * ROUNDS * 3);
    expect(ledger.count("201") + ledger.count("503"), ledger.summary()).toBe(
      [...ledger.outcomes.values()].reduce((a, b) => a + b, 0),
    );
    expect(replays.acks.length, replays.summary()).toBe(
      [...replays.outcomes.values()].reduce((a, b) => a + b, 0) - replays.count("503"),
    );
    expect(replays.acks.every((a) => a.duplicate)).toBe(true);

    await expectAcknowledgedVotesStored(system.database, [...ledger.acks, ...replays.acks]);
    const { votes, history } = await expectVotesMatchLog(system.database);
    expect(history).toBe(ledger.acks.length);
    expect(votes).toBe(VOTERS * 3);
    // Each voter's requests were sequential, so the last acknowledged option is the current one.
    const last = new Map(ledger.acks.map((a) => [`${a.userId}/${a.datapointId}`, a.option]));
    const { rows } = await system.database.sql.query<{ key: string; option: string }>(
      `SELECT user_id || '/' || datapoint_id AS key, option FROM votes`,
    );
    expect(rows.filter((r) => last.get(r.key) !== r.option)).toEqual([]);
    await expectGaplessLog(system.database);
    await expectChainValid(system.s);
  });
});

describe("the per-user vote limit under a burst", () => {
  it(`lets exactly ${RATE_LIMITS.vote.max} of 100 simultaneous votes through and refuses the rest with 429`, async () => {
    const [voter] = await makeVoters(system.s, 1);
    const ledger = new Ledger();
    const points = ballot(system.batch);
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const { datapointId, options } = points[i % points.length]!;
        const vote = newVote(datapointId, options[i % options.length]!);
        await voteRetrying503(system.app.url, voter!, vote, ledger);
      }),
    );
    expect(ledger.serverErrors() - ledger.count("503"), ledger.summary()).toBe(0);
    expect(ledger.acks.length, ledger.summary()).toBe(RATE_LIMITS.vote.max);
    expect(ledger.count("429"), ledger.summary()).toBe(100 - RATE_LIMITS.vote.max);
    const { rows } = await system.database.sql.query(`SELECT count(*)::int AS n FROM vote_history WHERE user_id = $1`, [
      voter!.userId,
    ]);
    expect(rows[0].n).toBe(RATE_LIMITS.vote.max);
    await expectVotesMatchLog(system.database);
    await expectGaplessLog(system.database);
    await expectChainValid(system.s);
  });

  it("answers a refused vote as a problem with a sentence", async () => {
    const [voter] = await makeVoters(system.s, 1);
    const point = ballot(system.batch)[0]!;
    let last: Awaited<ReturnType<typeof postVote>> | undefined;
    for (let i = 0; i <= RATE_LIMITS.vote.max; i++)
      last = await postVote(system.app.url, voter!, newVote(point.datapointId, pick(point.options)));
    expect(last).toMatchObject({ kind: "answer", status: 429, contentType: "application/problem+json" });
    if (last?.kind === "answer") expect(String(last.body.detail)).toMatch(/limit of 30 votes per minute/);
  });
});
