// A real streaming replica behind DATABASE_REPLICA_URL: public pages and releases are read
// from it, a release served while it lags is cut at the older checkpoint it holds and still
// verifies, a voter sees their own vote at once however far it lags, it serves the newer state
// once it catches up, and while it is down the primary serves everything.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WROTE_COOKIE } from "@/lib/database/read-routing";
import { startApp, type App } from "./app";
import { expectQueueDrained } from "./checks";
import { startDatabase, type TestDatabase } from "./database";
import { startReplica, waitFor, type Replica } from "./replica";
import {
  Ledger,
  ballot,
  makeVoters,
  newVote,
  postVote,
  services,
  type OpenBatch,
  type Services,
  type Voter,
} from "./voters";

let database: TestDatabase;
let replica: Replica;
let app: App;
let s: Services;
let batch: OpenBatch;

beforeAll(async () => {
  database = await startDatabase();
  replica = await startReplica(database);
  // Checkpoints every second, so the log's new events are soon signed on the primary.
  app = await startApp(database, { env: { DATABASE_REPLICA_URL: replica.url, PLENARY_CHECKPOINT_EVERY_SECONDS: "1" } });
  s = await services(database);
  batch = await s.makeBatch();
});

afterAll(async () => {
  await app?.dispose();
  await s?.db.$disconnect();
  await replica?.dispose();
  await database?.dispose();
});

/** Public pages of every kind the replica serves, anonymous. */
const publicPages = () => [
  "/",
  "/datapoints",
  "/datapoints?q=egg",
  `/datapoints/${batch.pairwise}`,
  `/datapoints/${batch.pairwise}/story`,
  `/batches/${batch.slug}`,
  `/batches/${batch.slug}/research`,
  `/api/research/${batch.slug}/votes-per-label.csv`,
  "/audit",
  "/policies",
  "/data",
  "/verify",
  "/api/log/checkpoint",
];

async function get(path: string, cookie?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    headers: cookie ? { Cookie: cookie } : {},
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** The newest seq the public log page shows: the head of the database it was read from. */
async function newestSeqOnLogPage(): Promise<number> {
  const { status, text } = await get("/audit");
  expect(status).toBe(200);
  const match = /seq (\d+) down to \d+/.exec(text);
  expect(match, "the log page lists its newest events").not.toBeNull();
  return Number(match![1]);
}

async function primaryLog(): Promise<{ head: number; signed: number }> {
  const { rows } = await database.sql.query<{ head: string; signed: string | null }>(
    `SELECT (SELECT last_seq FROM audit_head)::text AS head, (SELECT max(tree_size) FROM checkpoints)::text AS signed`,
  );
  return { head: Number(rows[0]!.head), signed: Number(rows[0]!.signed ?? 0) };
}

/** Votes by `voters` on the pairwise datapoint, then the log drained and a checkpoint signed over all of it on the primary. */
async function voteAndSign(voters: Voter[], option = "A"): Promise<{ head: number; signed: number }> {
  const ledger = new Ledger();
  const pairwise = ballot(batch)[0]!;
  await Promise.all(
    voters.map(async (voter) => {
      const vote = newVote(pairwise.datapointId, option);
      ledger.record(voter, vote, await postVote(app.url, voter, vote));
    }),
  );
  expect(ledger.acks.length, ledger.summary()).toBe(voters.length);
  await expectQueueDrained(database);
  const { head } = await primaryLog();
  await waitFor("a checkpoint over the whole log", async () => (await primaryLog()).signed >= head);
  return primaryLog();
}

/** `npm run verify -- <manifest URL>` as a researcher runs it. */
function verify(manifestUrl: string, previous?: string): string {
  const args = ["--import", "tsx", "scripts/verify.ts", manifestUrl, ...(previous ? ["--previous", previous] : [])];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 120_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/^VERIFIED/m);
  return run.stdout;
}

async function manifest(query = ""): Promise<{ asOfSeq: number }> {
  const { status, text } = await get(`/api/exports/manifest${query}`);
  expect(status, text).toBe(200);
  return JSON.parse(text) as { asOfSeq: number };
}

async function replicaTransactions(): Promise<number> {
  const { rows } = await replica.sql.query<{ n: string }>(
    `SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`,
    [database.connection.database],
  );
  return Number(rows[0]?.n ?? 0);
}

describe("a streaming read replica", () => {
  it("serves the public pages and a release that verifies", async () => {
    const signed = await voteAndSign(await makeVoters(s, 5));
    await replica.catchUp();
    expect(await replica.logState()).toEqual(signed);

    // The replica's own statistics count the app's reads (each page reads in several transactions).
    const before = await replicaTransactions();
    for (const path of publicPages()) expect((await get(path)).status, path).toBe(200);
    await waitFor(
      "the replica to count the pages' reads",
      async () => (await replicaTransactions()) - before >= publicPages().length,
      20_000,
    );

    const release = await manifest();
    expect(release.asOfSeq).toBe(signed.signed);
    verify(`${app.url}/api/exports/manifest`);
  });

  it("while it lags: pages answer from it, a release is cut at its older checkpoint and verifies, and a voter sees their own vote", async () => {
    await replica.pauseReplay();
    const behind = await replica.logState();

    const [writer] = await makeVoters(s, 1);
    const cast = await fetch(`${app.url}/api/votes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: writer!.cookie },
      body: JSON.stringify({ datapointId: batch.classification, option: "over_refusal", idempotencyKey: randomUUID() }),
    });
    expect(cast.status, await cast.clone().text()).toBe(201);
    const wrote = cast.headers.getSetCookie().find((c) => c.startsWith(`${WROTE_COOKIE}=`));
    expect(wrote, "the vote's answer carries the writer cookie").toBeDefined();
    const writerCookie = `${writer!.cookie}; ${wrote!.split(";")[0]}`;
    const now = await voteAndSign(await makeVoters(s, 4), "B");
    expect(now.signed).toBeGreaterThan(behind.signed);
    expect(await replica.logState(), "replay is paused").toEqual(behind);

    for (const path of publicPages()) expect((await get(path)).status, path).toBe(200);
    // The public log is the replica's: it ends where the replica stopped, not at the primary's head.
    expect(await newestSeqOnLogPage()).toBe(behind.head);

    // The voter's own page: from the primary while their cookie is ahead of the replica…
    const ownPage = `/datapoints/${batch.classification}`;
    expect((await get(ownPage, writerCookie)).text).toContain("You voted: <strong>Over-refusal</strong>");
    // …and from the replica, which has no such vote yet, without it.
    expect((await get(ownPage, writer!.cookie)).text).not.toContain("You voted:");

    // The latest release the lagging replica can make is the one at its own latest checkpoint.
    const older = await manifest();
    expect(older.asOfSeq).toBe(behind.signed);
    verify(`${app.url}/api/exports/manifest`);
    // A position only the primary holds is served by the primary, never cut short by the replica.
    expect((await manifest(`?treeSize=${now.signed}`)).asOfSeq).toBe(now.signed);
    expect((await get(`/api/exports/audit.jsonl?toSeq=${now.head}`)).headers.get("x-to-seq")).toBe(String(now.head));

    await replica.resumeReplay();
    await replica.catchUp();
    expect(await newestSeqOnLogPage()).toBe(now.head);
    expect((await get(ownPage, writer!.cookie)).text).toContain("You voted: <strong>Over-refusal</strong>");
    const newer = await manifest();
    expect(newer.asOfSeq).toBe(now.signed);
    // The newer release extends the older one (a consistency check across the two cuts).
    verify(`${app.url}/api/exports/manifest`, `${app.url}/api/exports/manifest?treeSize=${older.asOfSeq}`);
  });

  it("while it is down, the primary serves every read, and the replica is used again once it is back", async () => {
    await replica.stop();
    const now = await voteAndSign(await makeVoters(s, 2));
    for (const path of publicPages()) expect((await get(path)).status, path).toBe(200);
    expect(await newestSeqOnLogPage()).toBe(now.head);
    expect((await manifest()).asOfSeq).toBe(now.signed);
    expect(app.output()).toMatch(/the read replica at 127\.0\.0\.1:\d+ is unreachable/);

    await replica.start();
    await replica.catchUp();
    await waitFor(
      "the app to read from the replica again",
      async () => {
        await get("/audit");
        return /the read replica at 127\.0\.0\.1:\d+ answers again/.test(app.output());
      },
      30_000,
    );
  });
});
