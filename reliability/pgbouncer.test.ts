// The vote path through Debian's PgBouncer (1.18) in transaction mode, three server
// connections shared by every transaction: with PLENARY_DB_POOLER=transaction every
// acknowledged vote is stored exactly once, the log is gapless and its chain verifies, and a
// release downloaded through it verifies. Without the setting the app's named statements meet
// other clients' server connections, which is why the setting exists.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, sleep, type App } from "./app";
import {
  expectAcknowledgedVotesStored,
  expectChainValid,
  expectGaplessLog,
  expectQueueDrained,
  expectVotesMatchLog,
} from "./checks";
import { startDatabase, type TestDatabase } from "./database";
import { PGBOUNCER, pgbouncerInstalled, startPgBouncer, type PgBouncer } from "./pgbouncer";
import {
  Ledger,
  ballot,
  makeVoters,
  newVote,
  pick,
  voteRetrying503,
  services,
  type OpenBatch,
  type Services,
} from "./voters";

const VOTERS = 80;
const ROUNDS = 2; // each voter casts on every datapoint, then changes each vote
const SERVER_CONNECTIONS = 3;

const missing = !pgbouncerInstalled();

if (missing && process.env.CI) {
  it("has PgBouncer to test with", () => {
    throw new Error(`${PGBOUNCER} is missing: .ci/run installs it (apt-get install -y pgbouncer).`);
  });
}
if (missing && !process.env.CI)
  console.warn(`reliability: ${PGBOUNCER} is missing (apt-get install -y pgbouncer); the PgBouncer tests are skipped.`);

describe.skipIf(missing)("the vote path through PgBouncer in transaction mode", () => {
  let database: TestDatabase;
  let bouncer: PgBouncer;
  let app: App;
  let s: Services;
  let batch: OpenBatch;
  const pooledEnv = () => ({
    DATABASE_URL: bouncer.url,
    // Migrations hold a session advisory lock: they go around the pooler.
    DATABASE_DIRECT_URL: database.url,
    PLENARY_CHECKPOINT_EVERY_SECONDS: "1",
  });

  beforeAll(async () => {
    database = await startDatabase();
    bouncer = await startPgBouncer(database, { poolSize: SERVER_CONNECTIONS });
    app = await startApp(database, { env: { ...pooledEnv(), PLENARY_DB_POOLER: "transaction" } });
    s = await services(database);
    batch = await s.makeBatch();
  });

  const transactionsThroughBouncer = async () =>
    Number(
      (await bouncer.show("STATS")).find((row) => row.database === database.connection.database)?.total_xact_count ?? 0,
    );

  afterAll(async () => {
    await app?.dispose();
    await s?.db.$disconnect();
    await bouncer?.dispose();
    await database?.dispose();
  });

  it(`stores every acknowledged vote of ${VOTERS} concurrent voters exactly once, with a gapless seq and a valid chain`, async () => {
    const voters = await makeVoters(s, VOTERS);
    const ledger = new Ledger();
    const replays = new Ledger();
    const xactsBefore = await transactionsThroughBouncer();
    await Promise.all(
      voters.map(async (voter) => {
        for (let round = 0; round < ROUNDS; round++) {
          for (const { datapointId, options } of ballot(batch)) {
            const vote = newVote(datapointId, pick(options));
            await voteRetrying503(app.url, voter, vote, ledger);
            // A client that lost the answer retries with the same key: it must not count twice.
            if (Math.random() < 0.1) await voteRetrying503(app.url, voter, vote, replays);
          }
        }
      }),
    );
    console.log(
      `reliability: ${ledger.acks.length} votes from ${VOTERS} voters through ${bouncer.version} (${SERVER_CONNECTIONS} server connections), ${replays.acks.length} replays`,
    );

    expect(ledger.acks.length, ledger.summary()).toBe(VOTERS * ROUNDS * 3);
    expect(ledger.count("201") + ledger.count("503"), ledger.summary()).toBe(
      [...ledger.outcomes.values()].reduce((a, b) => a + b, 0),
    );
    expect(replays.acks.length, replays.summary()).toBe(
      [...replays.outcomes.values()].reduce((a, b) => a + b, 0) - replays.count("503"),
    );
    expect(replays.acks.every((a) => a.duplicate)).toBe(true);
    expect(app.output()).not.toMatch(/prepared statement/i);

    await expectAcknowledgedVotesStored(database, [...ledger.acks, ...replays.acks]);
    const { votes, history } = await expectVotesMatchLog(database);
    expect(history).toBe(ledger.acks.length);
    expect(votes).toBe(VOTERS * 3);
    const last = new Map(ledger.acks.map((a) => [`${a.userId}/${a.datapointId}`, a.option]));
    const { rows } = await database.sql.query<{ key: string; option: string }>(
      `SELECT user_id || '/' || datapoint_id AS key, option FROM votes`,
    );
    expect(rows.filter((r) => last.get(r.key) !== r.option)).toEqual([]);
    await expectGaplessLog(database);
    await expectChainValid(s);

    // The votes went through PgBouncer, over no more than its server connections.
    expect((await transactionsThroughBouncer()) - xactsBefore).toBeGreaterThanOrEqual(ledger.acks.length);
    const servers = (await bouncer.show("SERVERS")).filter((row) => row.database === database.connection.database);
    expect(servers.length).toBeLessThanOrEqual(SERVER_CONNECTIONS);
  });

  it("serves a release through it that verifies", async () => {
    await expectQueueDrained(database);
    const { rows } = await database.sql.query<{ head: string }>(`SELECT last_seq::text AS head FROM audit_head`);
    for (let i = 0; ; i++) {
      const { rows: signed } = await database.sql.query<{ n: string | null }>(
        `SELECT max(tree_size)::text AS n FROM checkpoints`,
      );
      if (Number(signed[0]!.n ?? 0) >= Number(rows[0]!.head)) break;
      if (i > 150) throw new Error("no checkpoint covers the log after 15 s");
      await sleep(100);
    }
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/verify.ts", `${app.url}/api/exports/manifest`],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^VERIFIED/m);
  });

  it("fails without PLENARY_DB_POOLER before PgBouncer 1.21: named statements land on other server connections", async () => {
    const [major, minor] = /(\d+)\.(\d+)/.exec(bouncer.version)!.slice(1).map(Number) as [number, number];
    if (major > 1 || minor >= 21) return; // 1.21+ can keep prepared statements itself (max_prepared_statements)
    const plain = await startApp(database, { env: pooledEnv() });
    try {
      const ledger = new Ledger();
      await Promise.all(
        (await makeVoters(s, 20)).map(async (voter) => {
          for (const { datapointId, options } of ballot(batch))
            await voteRetrying503(plain.url, voter, newVote(datapointId, pick(options)), ledger);
        }),
      );
      expect(ledger.serverErrors() - ledger.count("503"), ledger.summary()).toBeGreaterThan(0);
      expect(plain.output()).toMatch(/prepared statement "plenary_\w+" (does not exist|already exists)/);
    } finally {
      await plain.dispose();
    }
  });
});
