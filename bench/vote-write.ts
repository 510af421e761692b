// Benchmark of the vote write path without HTTP: the real castVote (the vote, its history row
// and its audit event, queued and then sequenced) called by concurrent workers, against raw
// single-row INSERT transactions through `pg` with the same pool size and workers, measured
// in the same run, twice, alternating. Run with
//   npm run bench:write -- [--workers 32] [--pool 10] [--votes 12000]
// It makes a fresh embedded PostgreSQL in $TMPDIR/plenary-bench-write (or uses DATABASE_URL,
// which must be a database you can throw away: it adds users, a batch and votes), checks
// afterwards that every vote is in the log exactly once with a valid chain, and prints the
// rates, latencies and ratios.
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { parseDatabaseUrl, toDatabaseUrl } from "@/lib/database/connection";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrations";
import { freePort } from "@/lib/runtime/ports";
import { machineLine, quantile, rate, ratio, seconds, verdict } from "./support/measure";

const { values } = parseArgs({
  options: { workers: { type: "string", default: "32" }, pool: { type: "string", default: "10" }, votes: { type: "string", default: "12000" } },
});
const WORKERS = Number(values.workers);
const POOL = Number(values.pool);
const VOTES = Number(values.votes); // per round: 5 in 6 first votes, 1 in 6 changes
const ROUNDS = 2;
const DATAPOINTS = 50;
const FIRST_VOTES_PER_USER = 5;
const USERS_PER_ROUND = Math.ceil((VOTES * 5) / 6 / FIRST_VOTES_PER_USER);

console.log(machineLine());
console.log(`workers ${WORKERS}, pool ${POOL} connections (app and baseline alike), ${VOTES.toLocaleString("en")} votes a round, ${ROUNDS} rounds`);

let stopServer = async () => {};
if (!process.env.DATABASE_URL) {
  const dir = path.join(os.tmpdir(), "plenary-bench-write");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // the server may run as the `postgres` user
  process.env.PLENARY_DATA_DIR = dir;
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), password: "plenary-bench-password", database: "plenary" });
  await applyMigrations(server.connection);
  process.env.DATABASE_URL = toDatabaseUrl(server.connection);
  stopServer = () => server.stop();
  console.log(`database: fresh embedded PostgreSQL in ${dir}`);
} else console.log("database: DATABASE_URL");
process.env.PLENARY_DB_POOL = String(POOL);

// The app's modules read DATABASE_URL when loaded.
const { db } = await import("@/lib/db");
const { castVote } = await import("@/lib/votes/mutations");
const { createUserIn } = await import("@/lib/users/mutations");
const { publishPolicyIn } = await import("@/lib/policies/mutations");
const { parseImportJsonl } = await import("@/lib/datapoints/jsonl");
const { importRecords } = await import("@/lib/datapoints/mutations");
const { verifyStoredLog } = await import("@/lib/audit/data");

/** Run `count` jobs on `workers` concurrent loops; returns wall seconds and each job's ms. */
async function drive(count: number, job: (i: number) => Promise<void>) {
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
  return { time: seconds(started), latencies: latencies.sort((a, b) => a - b) };
}

async function makeUsers(count: number, tag: string): Promise<string[]> {
  const ids: string[] = new Array(count);
  await drive(count, async (i) => {
    ids[i] = (await db.$transaction((tx) => createUserIn(tx, { email: `bench-${tag}-${i}@example.test`, name: null }, null))).id;
  });
  return ids;
}

async function makeDatapoints(tag: string): Promise<string[]> {
  const slug = `bench-write-${tag}`;
  const lines = [
    { record: "batch", slug, title: `Write benchmark ${tag}`, policy: "equal", opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(), rationaleRequired: false, tallyVisibility: "AFTER_OWN_VOTE" },
    ...Array.from({ length: DATAPOINTS }, (_, i) => ({
      record: "datapoint", batch: slug, externalId: `dp-${i}`, kind: "pairwise", category: "helpfulness", title: `Item ${i}`,
      prompt: "Which answer is better?", responses: [{ id: "A", text: "One." }, { id: "B", text: "Two." }], proposedLabel: "A", proposedLabelSource: "benchmark",
    })),
  ];
  const parsed = parseImportJsonl(lines.map((l) => JSON.stringify(l)).join("\n"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const outcome = await importRecords(parsed.value, null);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return (await db.datapoint.findMany({ where: { batch: { slug } }, select: { id: true }, orderBy: { externalId: "asc" } })).map((d) => d.id);
}

await db.$transaction((tx) =>
  publishPolicyIn(tx, { name: "equal", version: 1, kind: "equal", description: "Benchmark policy.", quorum: { minVotes: 3, minWeight: 3 }, margin: { minShare: 0.1 } }, null),
).catch(() => undefined); // already published in a reused database

const connection = parseDatabaseUrl(process.env.DATABASE_URL!);
const raw = new pg.Pool({ ...connection, max: POOL });
await raw.query("CREATE TABLE IF NOT EXISTS bench_raw_inserts (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");

const OPTIONS = ["A", "B", "TIE", "BOTH_BAD"];
const report = (label: string, run: { time: number; latencies: number[] }, count: number) =>
  `${label}: ${count.toLocaleString("en")} in ${run.time.toFixed(2)} s = ${rate(count, run.time)}/s, latency p50 ${quantile(run.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(run.latencies, 0.99).toFixed(1)} ms`;

const results: { baseline: number; votes: number }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const tag = `${Date.now()}-${round}`;
  const [users, datapoints] = await Promise.all([makeUsers(USERS_PER_ROUND, tag), makeDatapoints(tag)]);
  const headBefore = (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;

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

  // Vote i: first votes spread over the users (each votes on FIRST_VOTES_PER_USER datapoints),
  // then every sixth job changes a user's first vote.
  const votes = await drive(VOTES, async (i) => {
    const change = i % 6 === 5;
    const n = change ? Math.floor(i / 6) : i - Math.floor(i / 6);
    const user = users[(change ? n : n % USERS_PER_ROUND) % USERS_PER_ROUND]!;
    const datapoint = datapoints[change ? 0 : Math.floor(n / USERS_PER_ROUND) % DATAPOINTS]!;
    const result = await castVote({ datapointId: datapoint, option: OPTIONS[(i + round) % 4]!, rationale: null, idempotencyKey: `bench-${tag}-${i}` }, user);
    if (!result.ok) throw new Error(`vote ${i} refused: ${result.message}`);
  });
  console.log(report(`round ${round} castVote (vote + history + audit event)`, votes, VOTES));
  results.push({ baseline: VOTES / baseline.time, votes: VOTES / votes.time });
  console.log(`round ${round} ratio to baseline: ${ratio(VOTES / votes.time, VOTES / baseline.time)} (goal ≥ 0.50×: ${verdict(VOTES / votes.time >= 0.5 * (VOTES / baseline.time))})`);

  // Nothing lost, nothing doubled: one event per acknowledged vote, every history row
  // pointing at its own event, the queue empty.
  const [counts] = await db.$queryRaw<{ events: bigint; queued: bigint; unsequenced: bigint }[]>`
    SELECT (SELECT count(*) FROM audit_events WHERE seq > ${headBefore} AND type IN ('vote.cast', 'vote.changed')) AS events,
           (SELECT count(*) FROM audit_queue) AS queued,
           (SELECT count(*) FROM vote_history WHERE audit_seq IS NULL) AS unsequenced`;
  const { events, queued, unsequenced } = counts!;
  if (Number(events) !== VOTES || Number(queued) !== 0 || Number(unsequenced) !== 0) {
    throw new Error(`round ${round}: ${events} vote events for ${VOTES} votes, ${queued} queued, ${unsequenced} history rows without a seq`);
  }
}
const verified = await verifyStoredLog();
console.log(`log: ${verified.ok ? "chain verifies" : `BROKEN: ${JSON.stringify(verified).slice(0, 300)}`}; every vote logged exactly once`);
const worst = Math.min(...results.map((r) => r.votes / r.baseline));
console.log(`summary: castVote ${results.map((r) => rate(r.votes, 1)).join(" / ")}/s vs raw ${results.map((r) => rate(r.baseline, 1)).join(" / ")}/s; lowest ratio ${worst.toFixed(2)}× (goal ≥ 0.50×: ${verdict(worst >= 0.5)})`);

await raw.end();
await db.$disconnect();
await stopServer();
if (!verified.ok) process.exit(1);
