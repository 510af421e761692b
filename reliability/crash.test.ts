// SIGKILL the whole server (start script and Next) in the middle of a voting load, start it
// again, and check that nothing acknowledged was lost and nothing was half written.
import { describe, expect, it } from "vitest";
import { sleep, until } from "./app";
import { expectAcknowledgedVotesStored, expectChainValid, expectGaplessLog, expectVotesMatchLog } from "./checks";
import { votingSystemForFile } from "./system";
import { Ledger, ballot, makeVoters, newVote, pick, voteRetrying503, type VoteRequest, type Voter } from "./voters";

const VOTERS = 100;
/** Votes a voter may have stored during the test, kept under the limit of 30 a minute. */
const PER_VOTER = 25;

const system = votingSystemForFile();

describe("a server killed with SIGKILL mid-load", () => {
  it("keeps every acknowledged vote, writes nothing by halves, and keeps the chain valid", async () => {
    const voters = await makeVoters(system.s, VOTERS);
    const ledger = new Ledger();
    /** Requests whose answer was lost with the server: stored or not, nobody knows yet. */
    const inDoubt: { voter: Voter; vote: VoteRequest }[] = [];
    let stop = false;
    const load = Promise.all(
      voters.map(async (voter) => {
        for (let sent = 0; !stop && sent < PER_VOTER;) {
          const point = pick(ballot(system.batch));
          const vote = newVote(point.datapointId, pick(point.options));
          const answer = await voteRetrying503(system.app.url, voter, vote, ledger);
          if (answer.kind === "no-answer" && answer.refused) {
            await sleep(100); // the server is down: nothing was sent, nothing stored
            continue;
          }
          if (answer.kind === "no-answer") inDoubt.push({ voter, vote });
          sent++;
        }
      }),
    );

    await until(() => ledger.acks.length >= 300, 60_000, "300 acknowledged votes before the kill");
    const pidBefore = system.app.pid();
    await system.app.kill("SIGKILL");
    const acksAtKill = ledger.acks.length;
    await sleep(500);
    await system.app.restart();
    expect(system.app.pid()).not.toBe(pidBefore);
    await until(() => ledger.acks.length >= acksAtKill + 200, 60_000, "200 acknowledged votes after the restart");
    stop = true;
    await load;
    console.log(
      `reliability: SIGKILL after ${acksAtKill} acknowledged votes; ${ledger.acks.length} in all; ${inDoubt.length} answers lost in the crash\n${ledger.summary()}`,
    );

    // 503 ("busy", retried by the client) is the only 5xx allowed: a freshly restarted server meets a queue.
    expect(ledger.serverErrors() - ledger.count("503"), `${ledger.summary()}\n${system.app.output()}`).toBe(0);
    // A client whose answer was lost retries with the same key: stored once, whatever happened.
    const retries = new Ledger();
    for (const { voter, vote } of inDoubt) await voteRetrying503(system.app.url, voter, vote, retries);
    expect(retries.acks.length, retries.summary()).toBe(inDoubt.length);

    await expectAcknowledgedVotesStored(system.database, [...ledger.acks, ...retries.acks]);
    await expectVotesMatchLog(system.database);
    await expectGaplessLog(system.database);
    await expectChainValid(system.s);
  });
});
