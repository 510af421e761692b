// Two production instances on one PostgreSQL behind a real load balancer (HAProxy), as
// ARCHITECTURE's "Scaling past one machine" describes: the API rate limit is one limit for
// the site, not one per instance; 200 voters vote through the balancer while one instance is
// SIGKILLed; every acknowledged vote is stored once, the chain stays valid, and the
// schedulers both instances run (checkpoint signing, batch closing, the queue sweep) do
// their work once. Each voter, and each rate-limit client, sends from a loopback address of
// its own, so the balancer and the app tell them apart as they would real clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRelease } from "@/lib/verifier/verify";
import { openRelease } from "@/lib/verifier/source";
import { sleep, startApp, until, type App } from "./app";
import { expectAcknowledgedVotesStored, expectChainValid, expectGaplessLog, expectVotesMatchLog } from "./checks";
import { startDatabase, type TestDatabase } from "./database";
import { closeAgents, requestFrom } from "./http-from";
import { INSTANCE_HEADER, startLoadBalancer, type LoadBalancer } from "./load-balancer";
import {
  Ledger,
  ballot,
  makeVoters,
  newVote,
  pick,
  services,
  voteRetrying503,
  type OpenBatch,
  type Services,
  type VoteRequest,
  type Voter,
} from "./voters";

const VOTERS = 200;
/** Each voter votes at most this often: 24 a minute, under the per-user limit of 30. */
const VOTE_EVERY_MS = 2_500;
/** The API limit both instances are started with: a burst of 40, refilled at one a second. */
const BURST = 40;
const PER_MINUTE = 60;

let database: TestDatabase;
let instances: App[];
let balancer: LoadBalancer;
let s: Services;
let batch: OpenBatch;

beforeAll(async () => {
  database = await startDatabase();
  const limits = {
    PLENARY_API_RATE_PER_MINUTE: String(PER_MINUTE),
    PLENARY_API_RATE_BURST: String(BURST),
    PLENARY_TRUST_PROXY: "1",
  };
  const first = await startApp(database, { env: limits });
  // The same site: the second instance shares the first's secrets and checkpoint key.
  const second = await startApp(database, { env: { ...limits, PLENARY_DATA_DIR: first.dataDir, PLENARY_SEED: "0" } });
  instances = [first, second];
  balancer = await startLoadBalancer(instances.map((app) => app.port));
  await balancer.waitUntilUp([0, 1]);
  s = await services(database);
  batch = await s.makeBatch();
});

afterAll(async () => {
  closeAgents();
  await balancer?.dispose();
  for (const app of instances ?? []) await app.dispose();
  await s?.db.$disconnect();
  await database?.dispose();
});

/** `count` GETs of the public API from `address`, 10 at a time: each answer's status and instance. */
async function burstFrom(address: string, count: number): Promise<{ status: number; instance: string }[]> {
  const answers: { status: number; instance: string }[] = [];
  for (let sent = 0; sent < count; sent += 10) {
    const round = await Promise.all(
      Array.from({ length: Math.min(10, count - sent) }, () =>
        requestFrom(address, `${balancer.url}/api/log/checkpoint`),
      ),
    );
    answers.push(...round.map((r) => ({ status: r.status, instance: String(r.headers[INSTANCE_HEADER] ?? "") })));
  }
  return answers;
}

describe("two instances behind a load balancer", () => {
  it("count one API rate limit for the site, and still tell clients apart", async () => {
    const started = Date.now();
    const answers = await burstFrom("127.0.2.1", 3 * BURST);
    const seconds = (Date.now() - started) / 1000;
    const allowed = answers.filter((a) => a.status === 200);
    console.log(
      `reliability: ${answers.length} requests from one client in ${seconds.toFixed(1)} s: ${allowed.length} allowed, by instance ${JSON.stringify(countBy(allowed.map((a) => a.instance)))}`,
    );
    // Both instances answered this client…
    expect(new Set(allowed.map((a) => a.instance))).toEqual(new Set(["i0", "i1"]));
    expect(
      answers.every((a) => a.status === 200 || a.status === 429),
      JSON.stringify(countBy(answers.map((a) => String(a.status)))),
    ).toBe(true);
    // …and together allowed one bucket's worth (plus what refilled meanwhile), not one per instance.
    expect(allowed.length).toBeGreaterThanOrEqual(BURST);
    expect(allowed.length).toBeLessThanOrEqual(BURST + Math.ceil((seconds * PER_MINUTE) / 60) + 1);
    // Another client, behind the same balancer, has a bucket of its own.
    expect((await burstFrom("127.0.2.2", 5)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it("keep every acknowledged vote through a SIGKILL of one instance, with the chain valid and the schedulers' work done once", async () => {
    const voters: Voter[] = (await makeVoters(s, VOTERS)).map((voter, i) => ({
      ...voter,
      address: `127.0.1.${i + 1}`,
    }));
    const ledger = new Ledger();
    /** Requests whose answer was lost with the killed instance: stored or not, nobody knows yet. */
    const inDoubt: { voter: Voter; vote: VoteRequest }[] = [];
    let stop = false;
    const send = async (voter: Voter, vote: VoteRequest) => {
      const answer = await voteRetrying503(balancer.url, voter, vote, ledger);
      // The balancer's own answers for a request that reached the killed instance (502, or
      // no answer): the vote may or may not be stored; the client retries it later.
      if (answer.kind === "no-answer" || (answer.status === 502 && !answer.contentType?.includes("json")))
        inDoubt.push({ voter, vote });
    };

    let points = ballot(batch);
    const load = Promise.all(
      voters.map(async (voter) => {
        while (!stop) {
          const started = Date.now();
          const point = pick(points);
          const vote = newVote(point.datapointId, pick(point.options));
          await send(voter, vote);
          await sleep(VOTE_EVERY_MS - (Date.now() - started));
        }
      }),
    );

    await until(() => ledger.acks.length >= 500, 90_000, "500 acknowledged votes before the kill");
    // Every voter sends one more vote at once, and the instance dies while it holds half of them.
    const burst = Promise.all(voters.map((voter) => send(voter, newVote(batch.pairwise, pick(["A", "B"])))));
    await sleep(150);
    await instances[0]!.kill("SIGKILL");
    const acksAtKill = ledger.acks.length;
    await burst;
    await until(
      () => ledger.acks.length >= acksAtKill + 400,
      90_000,
      "400 acknowledged votes after the kill, through the surviving instance",
    );
    // The killed instance comes back and rejoins; then a batch's voting closes under load, and
    // both instances' lifecycle schedulers (every 5 s) see it due.
    await instances[0]!.restart();
    await balancer.waitUntilUp([0, 1]);
    const closesAt = new Date(Date.now() + 6_000);
    const closing = await s.makeBatch({ closesAt });
    points = [...points, ...ballot(closing)];
    const acksAtRestart = ledger.acks.length;
    await until(
      () => ledger.acks.length >= acksAtRestart + 300 && Date.now() > closesAt.getTime() + 12_000,
      90_000,
      "300 votes after the restart, past the close",
    );
    stop = true;
    await load;
    console.log(
      `reliability: SIGKILL of one instance after ${acksAtKill} acknowledged votes, restarted at ${acksAtRestart}; ${ledger.acks.length} in all; ${inDoubt.length} in doubt\n${ledger.summary()}`,
    );

    // The app's own answers are never 5xx other than 503 ("busy", which the client retries); the
    // balancer's 502 for a request cut off by the kill carries HTML, not a problem document.
    const appErrors = [...ledger.outcomes].filter(
      ([status]) => /^5/.test(status) && status !== "503" && status !== "502",
    );
    expect(appErrors, `${ledger.summary()}\n${instances[1]!.output()}`).toEqual([]);
    // The kill cut requests off mid-way (so the retries below are tested, not assumed).
    expect(inDoubt.length).toBeGreaterThan(0);
    const retries = new Ledger();
    for (const { voter, vote } of inDoubt) await voteRetrying503(balancer.url, voter, vote, retries);
    expect(retries.acks.length, retries.summary()).toBe(inDoubt.length);

    const acks = [...ledger.acks, ...retries.acks];
    await expectAcknowledgedVotesStored(database, acks);
    await expectVotesMatchLog(database);
    await expectGaplessLog(database);
    await expectChainValid(s);

    // Both lifecycle schedulers saw the closing batch's time pass: it closed once.
    const closed = await database.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events e JOIN batches b ON b.id::text = (e.body::jsonb)->>'batchId' WHERE b.slug = $1 AND (e.body::jsonb)->>'type' = 'batch.closed'`,
      [closing.slug],
    );
    expect(closed.rows[0]!.n).toBe(1);
    const open = await database.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM datapoints d JOIN batches b ON b.id = d.batch_id WHERE b.slug = $1 AND d.status = 'OPEN'`,
      [closing.slug],
    );
    expect(open.rows[0]!.n).toBe(0);
    // Both checkpoint schedulers signed with the one key: a release downloaded through the
    // balancer verifies, every checkpoint's signature and consistency included.
    const checkpoints = await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM checkpoints`);
    expect(checkpoints.rows[0]!.n).toBeGreaterThan(1);
    const verification = await verifyRelease(await openRelease(`${balancer.url}/api/exports/manifest`));
    expect(verification.findings).toEqual([]);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
