// Restart PostgreSQL under a voting load: while it is down every request that needs it gets a
// 503 with a clear message and Retry-After (never a 500 or a hang), and the running server
// recovers by itself once the database is back.
import { describe, expect, it } from "vitest";
import { DATABASE_BUSY, DATABASE_UNAVAILABLE } from "@/lib/http/route";
import { sleep } from "./app";
import { expectAcknowledgedVotesStored, expectChainValid, expectGaplessLog, expectVotesMatchLog } from "./checks";
import { votingSystemForFile } from "./system";
import { Ledger, ballot, makeVoters, newVote, pick, postVote, voteRetrying503, type VoteAnswer } from "./voters";

const VOTERS = 50;
const PER_VOTER = 25;

const system = votingSystemForFile();

/** A 503 must say what is wrong (unreachable, or busy right after the restart) and when to come back. */
function unclear503(answer: VoteAnswer): boolean {
  return (
    answer.kind === "answer" &&
    answer.status === 503 &&
    (![DATABASE_UNAVAILABLE, DATABASE_BUSY].includes(String(answer.body.detail)) ||
      answer.retryAfter !== "5" ||
      answer.contentType !== "application/problem+json")
  );
}

describe("PostgreSQL restarted mid-load", () => {
  it("answers 503 with a clear message while it is down, and the server recovers by itself", async () => {
    const voters = await makeVoters(system.s, VOTERS);
    const ledger = new Ledger();
    const unclear: VoteAnswer[] = [];
    let stop = false;
    const load = Promise.all(
      voters.map(async (voter) => {
        for (let sent = 0; !stop && sent < PER_VOTER;) {
          const point = pick(ballot(system.batch));
          const vote = newVote(point.datapointId, pick(point.options));
          await voteRetrying503(system.app.url, voter, vote, ledger, (answer) => {
            if (unclear503(answer)) unclear.push(answer);
          });
          sent++;
        }
      }),
    );
    while (ledger.acks.length < 100) await sleep(50);

    const pid = system.app.pid();
    await system.database.stopServer();
    const acksAtStop = ledger.acks.length;
    await sleep(1_000);
    // Reads answer the same way as writes while the system.database is away.
    for (const path of [
      "/api/log/checkpoint",
      "/api/log/entries?from=1",
      "/api/exports/votes.jsonl?limit=1",
      "/api/exports/audit.jsonl",
    ]) {
      const response = await fetch(system.app.url + path, { signal: AbortSignal.timeout(20_000) });
      expect({ path, status: response.status, retryAfter: response.headers.get("retry-after") }).toEqual({
        path,
        status: 503,
        retryAfter: "5",
      });
      expect(await response.json()).toMatchObject({ status: 503, detail: DATABASE_UNAVAILABLE });
    }
    const health = await fetch(`${system.app.url}/api/health`);
    expect(health.status).toBe(503);
    // Pages show system.app/error.tsx's sentence rather than a stack.
    const page = await fetch(`${system.app.url}/datapoints`, { signal: AbortSignal.timeout(20_000) });
    expect(page.status).toBeGreaterThanOrEqual(500);
    expect(await page.text()).not.toMatch(/\bat \S+ \(|ECONNREFUSED/);

    await system.database.startServer();
    const restartedAt = Date.now();
    let recoveredAfter = -1;
    const probe = voters[0]!;
    while (Date.now() - restartedAt < 30_000) {
      const point = ballot(system.batch)[0]!;
      const answer = await postVote(system.app.url, probe, newVote(point.datapointId, pick(point.options)));
      if (answer.kind === "answer" && answer.status === 201) {
        recoveredAfter = Date.now() - restartedAt;
        break;
      }
      await sleep(100);
    }
    while (ledger.acks.length < acksAtStop + 100) await sleep(50);
    stop = true;
    await load;
    console.log(
      `reliability: PostgreSQL down ~1 s under load; the system.app recovered ${recoveredAfter} ms after it came back\n${ledger.summary()}`,
    );

    expect(recoveredAfter, "the system.app did not recover within 30 s").toBeGreaterThanOrEqual(0);
    expect(system.app.pid()).toBe(pid); // the same server process, never restarted
    expect((await fetch(`${system.app.url}/api/health`)).status).toBe(200);
    expect(ledger.count("503"), "no request saw the outage").toBeGreaterThan(0);
    expect(ledger.serverErrors() - ledger.count("503"), `${ledger.summary()}\n${system.app.output()}`).toBe(0);
    expect(ledger.count("401"), "signed-in voters were told to sign in").toBe(0);
    expect(ledger.count("no-answer") + ledger.count("refused"), ledger.summary()).toBe(0);
    expect(unclear.slice(0, 3)).toEqual([]);

    await expectAcknowledgedVotesStored(system.database, ledger.acks);
    await expectVotesMatchLog(system.database);
    await expectGaplessLog(system.database);
    await expectChainValid(system.s);
  });
});
