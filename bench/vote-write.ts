// Benchmark of the vote write path without HTTP: the real castVote (the vote, its history row
// and its audit event, queued in the vote's transaction and sequenced in the background)
// called by concurrent workers, the clock stopping once every vote's event is in the log,
// against raw single-row INSERT transactions through `pg` with the same pool size and
// workers, measured in the same run, twice, alternating. Run with
//   npm run bench:write -- [--workers 32] [--pool 10] [--votes 12000]
// It makes a fresh embedded PostgreSQL (bench/support/voting.ts), checks afterwards that
// every vote is in the log exactly once with a valid chain, and prints rates, latencies and
// ratios.
import { parseArgs } from "node:util";
import pg from "pg";
import { parseDatabaseUrl } from "@/lib/database/connection";
import { machineLine, quantile, rate, ratio, seconds, verdict } from "./support/measure";
import { VOTE_OPTIONS, votingDatabase } from "./support/voting";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "32" },
    pool: { type: "string", default: "10" },
    votes: { type: "string", default: "12000" },
  },
});
const WORKERS = Number(values.workers);
const POOL = Number(values.pool);
const VOTES = Number(values.votes); // per round: 5 in 6 first votes, 1 in 6 changes
const ROUNDS = 2;
const DATAPOINTS = 200;
const FIRST_VOTES_PER_USER = 5;
const USERS_PER_ROUND = Math.ceil((VOTES * 5) / 6 / FIRST_VOTES_PER_USER);

console.log(machineLine());
console.log(
  `workers ${WORKERS}, pool ${POOL} connections (app and baseline alike), ${VOTES.toLocaleString("en")} votes a round, ${ROUNDS} rounds`,
);
const voting = await votingDatabase("write", POOL);
const { castVote, castingStats } = await import("@/lib/votes/mutations");
const { verifyStoredLog } = await import("@/lib/audit/data");
const { flushAuditQueue, sequencerStats } = await import("@/lib/audit/mutations");

/** Run `count` jobs on WORKERS concurrent loops; returns wall seconds and each job's ms. */
async function drive(count: number, job: (i: number) => Promise<void>, settle?: () => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await job(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  if (settle) await settle();
  return { time: seconds(started), latencies: latencies.sort((a, b) => a - b) };
}

const raw = new pg.Pool({ ...parseDatabaseUrl(process.env.DATABASE_URL!), max: POOL });
await raw.query(
  "CREATE TABLE IF NOT EXISTS bench_raw_inserts (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
);

const report = (label: string, run: { time: number; latencies: number[] }, count: number) =>
  `${label}: ${count.toLocaleString("en")} in ${run.time.toFixed(2)} s = ${rate(count, run.time)}/s, latency p50 ${quantile(run.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(run.latencies, 0.99).toFixed(1)} ms`;

const results: { baseline: number; votes: number }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const tag = `${Date.now()}-${round}`;
  const [users, datapoints] = await Promise.all([
    voting.makeUsers(USERS_PER_ROUND, tag, POOL),
    voting.makeDatapoints(DATAPOINTS, tag),
  ]);
  const headBefore = await voting.headSeq();

  const baseline = await drive(VOTES, async (i) => {
    const client = await raw.connect();
    try {
      await client.query("BEGIN");
      await client.query("INSERT INTO bench_raw_inserts (payload) VALUES ($1)", [`round ${round} row ${i}`]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  });
  console.log(report(`round ${round} baseline, raw INSERT transactions`, baseline, VOTES));

  // Every sixth job changes a user's first vote; the others are first votes (voting.pairFor).
  const stats = { ...sequencerStats };
  const casting = { ...castingStats };
  const votes = await drive(
    VOTES,
    async (i) => {
      const change = i % 6 === 5;
      const n = change ? Math.floor(i / 6) % USERS_PER_ROUND : i - Math.floor(i / 6);
      const { userId, datapointId } = voting.pairFor(users, datapoints, n);
      const result = await castVote(
        { datapointId, option: VOTE_OPTIONS[(i + round) % 4]!, rationale: null, idempotencyKey: crypto.randomUUID() },
        userId,
      );
      if (!result.ok) throw new Error(`vote ${i} refused: ${result.message}`);
    },
    flushAuditQueue,
  ); // the clock stops once every vote's event is in the log
  console.log(report(`round ${round} castVote (vote + history + audit event, until all are logged)`, votes, VOTES));
  const groups = castingStats.groups - casting.groups;
  console.log(
    `round ${round} vote statements: ${groups.toLocaleString("en")} for ${(castingStats.calls - casting.calls).toLocaleString("en")} calls (a second one when the current vote was not the one expected), ${((castingStats.calls - casting.calls) / groups).toFixed(1)} a statement, ${castingStats.fallbacks - casting.fallbacks} groups sent again one by one`,
  );
  const rounds = sequencerStats.rounds - stats.rounds;
  const busy = (sequencerStats.busyMs - stats.busyMs) / 1000;
  const logged = sequencerStats.events - stats.events;
  console.log(
    `round ${round} sequencer: ${rounds.toLocaleString("en")} rounds, ${(logged / rounds).toFixed(1)} events a round, busy ${busy.toFixed(2)} s of ${votes.time.toFixed(2)} s = ${rate(logged, busy)} events per busy second (its ceiling at this batch size)`,
  );
  results.push({ baseline: VOTES / baseline.time, votes: VOTES / votes.time });
  console.log(
    `round ${round} ratio to baseline: ${ratio(VOTES / votes.time, VOTES / baseline.time)} (goal ≥ 0.50×: ${verdict(VOTES / votes.time >= 0.5 * (VOTES / baseline.time))})`,
  );

  // Nothing lost, nothing doubled: one event per acknowledged vote, every history row
  // pointing at its own event, the queue empty.
  const { events, queued, unsequenced } = await voting.logCounts(headBefore);
  if (events !== VOTES || queued !== 0 || unsequenced !== 0) {
    throw new Error(
      `round ${round}: ${events} vote events for ${VOTES} votes, ${queued} queued, ${unsequenced} history rows without a seq`,
    );
  }
}
// The sequencer's ceiling with full batches: a backlog of 20,000 queued events (as a restart
// after a crash would find), logged by one call, 5,000 per statement round.
{
  const { enqueueEvent } = await import("@/lib/audit/sequencer");
  const { sequenceQueuedEvents } = await import("@/lib/audit/mutations");
  const BACKLOG = 20_000;
  for (let i = 0; i < BACKLOG; i += 1_000) {
    await voting.db.$transaction(
      async (tx) => {
        for (let j = i; j < i + 1_000; j++) {
          await enqueueEvent(tx, {
            type: "user.created",
            actorId: null,
            userId: crypto.randomUUID(),
            pseudonym: `backlog-heron-${j}`,
            verificationTier: 0,
          });
        }
      },
      { timeout: 120_000 },
    );
  }
  const started = performance.now();
  const drained = await sequenceQueuedEvents();
  const time = seconds(started);
  console.log(
    `sequencer backlog: ${drained.toLocaleString("en")} queued events logged in ${time.toFixed(2)} s = ${rate(drained, time)} events/s`,
  );
}
const verified = await verifyStoredLog();
console.log(
  `log: ${verified.ok ? "chain verifies" : `BROKEN: ${JSON.stringify(verified).slice(0, 300)}`}; every vote logged exactly once`,
);
const worst = Math.min(...results.map((r) => r.votes / r.baseline));
console.log(
  `summary: castVote ${results.map((r) => rate(r.votes, 1)).join(" / ")}/s vs raw ${results.map((r) => rate(r.baseline, 1)).join(" / ")}/s; lowest ratio ${worst.toFixed(2)}× (goal ≥ 0.50×: ${verdict(worst >= 0.5)})`,
);

await raw.end();
await voting.db.$disconnect();
await voting.stop();
if (!verified.ok) process.exit(1);
