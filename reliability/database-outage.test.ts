// Restart PostgreSQL under a voting load: while it is down every request that needs it gets a
// 503 with a clear message and Retry-After (never a 500 or a hang), and the running server
// recovers by itself once the database is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_BUSY, DATABASE_UNAVAILABLE } from "@/lib/http/route";
import { sleep, startApp, type App } from "./app";
import { expectAcknowledgedVotesStored, expectChainValid, expectGaplessLog, expectVotesMatchLog } from "./checks";
import { startDatabase, type TestDatabase } from "./database";
import { Ledger, ballot, makeVoters, newVote, pick, postVote, services, voteRetrying503, type OpenBatch, type Services, type VoteAnswer } from "./voters";

const VOTERS = 50;
const PER_VOTER = 25;

let database: TestDatabase;
let app: App;
let s: Services;
let batch: OpenBatch;

beforeAll(async () => {
  database = await startDatabase();
  app = await startApp(database);
  s = await services(database);
  batch = await s.makeBatch();
});

afterAll(async () => {
  await app?.dispose();
  await s?.db.$disconnect();
  await database?.dispose();
});

/** A 503 must say what is wrong (unreachable, or busy right after the restart) and when to come back. */
function unclear503(answer: VoteAnswer): boolean {
  return (
    answer.kind === "answer" &&
    answer.status === 503 &&
    (![DATABASE_UNAVAILABLE, DATABASE_BUSY].includes(String(answer.body.detail)) || answer.retryAfter !== "5" || answer.contentType !== "application/problem+json")
  );
}

describe("PostgreSQL restarted mid-load", () => {
  it("answers 503 with a clear message while it is down, and the server recovers by itself", async () => {
    const voters = await makeVoters(s, VOTERS);
    const ledger = new Ledger();
    const unclear: VoteAnswer[] = [];
    let stop = false;
    const load = Promise.all(
      voters.map(async (voter) => {
        for (let sent = 0; !stop && sent < PER_VOTER; ) {
          const point = pick(ballot(batch));
          const vote = newVote(point.datapointId, pick(point.options));
          await voteRetrying503(app.url, voter, vote, ledger, (answer) => {
            if (unclear503(answer)) unclear.push(answer);
          });
          sent++;
        }
      }),
    );
    while (ledger.acks.length < 100) await sleep(50);

    const pid = app.pid();
    await database.stopServer();
    const acksAtStop = ledger.acks.length;
    await sleep(1_000);
    // Reads answer the same way as writes while the database is away.
    for (const path of ["/api/log/checkpoint", "/api/log/entries?from=1", "/api/exports/votes.jsonl?limit=1", "/api/exports/audit.jsonl"]) {
      const response = await fetch(app.url + path, { signal: AbortSignal.timeout(20_000) });
      expect({ path, status: response.status, retryAfter: response.headers.get("retry-after") }).toEqual({ path, status: 503, retryAfter: "5" });
      expect(await response.json()).toMatchObject({ status: 503, detail: DATABASE_UNAVAILABLE });
    }
    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(503);
    // Pages show app/error.tsx's sentence rather than a stack.
    const page = await fetch(`${app.url}/datapoints`, { signal: AbortSignal.timeout(20_000) });
    expect(page.status).toBeGreaterThanOrEqual(500);
    expect(await page.text()).not.toMatch(/\bat \S+ \(|ECONNREFUSED/);

    await database.startServer();
    const restartedAt = Date.now();
    let recoveredAfter = -1;
    const probe = voters[0]!;
    while (Date.now() - restartedAt < 30_000) {
      const point = ballot(batch)[0]!;
      const answer = await postVote(app.url, probe, newVote(point.datapointId, pick(point.options)));
      if (answer.kind === "answer" && answer.status === 201) {
        recoveredAfter = Date.now() - restartedAt;
        break;
      }
      await sleep(100);
    }
    while (ledger.acks.length < acksAtStop + 100) await sleep(50);
    stop = true;
    await load;
    console.log(`reliability: PostgreSQL down ~1 s under load; the app recovered ${recoveredAfter} ms after it came back\n${ledger.summary()}`);

    expect(recoveredAfter, "the app did not recover within 30 s").toBeGreaterThanOrEqual(0);
    expect(app.pid()).toBe(pid); // the same server process, never restarted
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect(ledger.count("503"), "no request saw the outage").toBeGreaterThan(0);
    expect(ledger.serverErrors() - ledger.count("503"), `${ledger.summary()}\n${app.output()}`).toBe(0);
    expect(ledger.count("401"), "signed-in voters were told to sign in").toBe(0);
    expect(ledger.count("no-answer") + ledger.count("refused"), ledger.summary()).toBe(0);
    expect(unclear.slice(0, 3)).toEqual([]);

    await expectAcknowledgedVotesStored(database, ledger.acks);
    await expectVotesMatchLog(database);
    await expectGaplessLog(database);
    await expectChainValid(s);
  });
});
