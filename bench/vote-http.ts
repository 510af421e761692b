// Benchmark of voting over HTTP: many signed-in voters POST /api/votes to the production
// server through autocannon, against POST /api/ping (a trivial route of the same app, same
// proxy) with the same connections, in the same run: a warm-up, then baseline and votes
// twice, alternating. Run with
//   npm run bench:http -- [--connections 64] [--seconds 15] [--profile DIR]
// Needs a production build in .next (npm run build; see BENCHMARKS.md, "Server"). It makes a
// fresh embedded PostgreSQL (bench/support/voting.ts) with users, their database sessions
// (as next-auth writes them at sign-in) and an open batch, serves the build against it with
// the per-address API limit off (all the load comes from one address; each voter's own vote
// limit stays on), and checks afterwards that every 2xx vote is in the log exactly once.
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { machineLine, ratio, verdict } from "./support/measure";
import { startBenchServer } from "./support/server";
import { VOTE_OPTIONS, votingDatabase } from "./support/voting";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "64" },
    seconds: { type: "string", default: "15" },
    profile: { type: "string" },
  },
});
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
const USERS = 4_000; // ≤ 30 votes per voter a minute (the per-user limit) at up to ~2,000 votes/s
const DATAPOINTS = 200;

console.log(machineLine());
console.log(`${CONNECTIONS} connections, ${SECONDS} s per measured run`);
const voting = await votingDatabase("http", 10);
const { verifyStoredLog } = await import("@/lib/audit/data");
const tag = String(Date.now());
const [users, datapoints] = await Promise.all([
  voting.makeUsers(USERS, tag, 10),
  voting.makeDatapoints(DATAPOINTS, tag),
]);
// A database session per voter, as next-auth's adapter stores one at sign-in: it expires
// after the configured maxAge (an older-looking session would be rewritten on every request).
const { SESSION_MAX_AGE_SECONDS } = await import("@/lib/auth/cookies");
const maxAgeMs = SESSION_MAX_AGE_SECONDS * 1000;
const tokens = users.map(() => randomBytes(32).toString("hex"));
await voting.db.session.createMany({
  data: users.map((userId, i) => ({ sessionToken: tokens[i]!, userId, expires: new Date(Date.now() + maxAgeMs) })),
});
const cookie = (n: number) => `next-auth.session-token=${tokens[n % USERS]}`;

process.env.PLENARY_API_RATE_PER_MINUTE = "0";
// --profile DIR: a CPU profile of the server (as bench:page takes it).
const server = await startBenchServer(
  process.env.DATABASE_URL!,
  values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [],
);
console.log(`server: ${server.how}, ${server.origin}`);

let sent = 0; // votes sent so far, across runs: each is a new (voter, datapoint) pair
type Run = { rps: number; p50: number; p99: number; ok: number; other: number; errors: number; timeouts: number };

/** `length`: seconds, or { amount } requests. */
async function run(label: string, path: "/api/ping" | "/api/votes", length: number | { amount: number }): Promise<Run> {
  const result = await autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    ...(typeof length === "number" ? { duration: length } : { amount: length.amount }),
    requests: [
      {
        method: "POST",
        path,
        setupRequest: (request) => {
          const n = sent++;
          // The session's voter is voting.pairFor's user for n (both take n modulo USERS).
          const { datapointId } = voting.pairFor(users, datapoints, n);
          const vote = { datapointId, option: VOTE_OPTIONS[n % 4], idempotencyKey: randomUUID() };
          return {
            ...request,
            headers: { "content-type": "application/json", cookie: cookie(n) },
            body: JSON.stringify(vote),
          };
        },
      },
    ],
  });
  const out: Run = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    other: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  console.log(
    `${label}: ${Math.round(out.rps).toLocaleString("en")} requests/s, latency p50 ${out.p50} ms, p99 ${out.p99} ms; ${out.ok.toLocaleString("en")} 2xx, ${out.other} other statuses, ${out.errors} errors, ${out.timeouts} timeouts`,
  );
  return out;
}

let failed = false;
try {
  const headBefore = await voting.headSeq();
  await run("warm-up POST /api/ping", "/api/ping", 3);
  // Every voter's first vote: the first request of a session this server sees reads the
  // session; later votes are checked against it in the vote's own statement (a voter reaches
  // the vote form through the datapoint page, which has read the session already).
  await run(`warm-up POST /api/votes, each voter's first (${USERS.toLocaleString("en")} votes)`, "/api/votes", {
    amount: USERS,
  });
  const pairs: { baseline: Run; votes: Run }[] = [];
  for (let round = 1; round <= 2; round++) {
    const baseline = await run(`round ${round} baseline POST /api/ping`, "/api/ping", SECONDS);
    const votes = await run(`round ${round} POST /api/votes`, "/api/votes", SECONDS);
    pairs.push({ baseline, votes });
    console.log(
      `round ${round}: ratio ${ratio(votes.rps, baseline.rps)} (goal ≥ 0.60×: ${verdict(votes.rps >= 0.6 * baseline.rps)}), vote p99 ${votes.p99} ms (goal < 100 ms: ${verdict(votes.p99 < 100)})`,
    );
    if (votes.other > 0 || votes.errors > 0) failed = true;
  }
  // autocannon stops at the deadline with requests still in flight; the server finishes
  // them. Wait until the stored votes stop changing (a second at least: the server logs a
  // vote's event a moment after answering, its sweep within a second), then count (the ping
  // runs sent none).
  const stored = () => voting.db.voteHistory.count({ where: { userId: { in: users } } });
  let acknowledged = await stored();
  for (let stable = 0, tries = 0; stable < 4 && tries < 60; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await stored();
    stable = now === acknowledged ? stable + 1 : 0;
    acknowledged = now;
  }
  const { events, queued, unsequenced } = await voting.logCounts(headBefore);
  console.log(
    `log: ${events.toLocaleString("en")} vote events for ${acknowledged.toLocaleString("en")} stored votes, ${queued} queued, ${unsequenced} without a seq`,
  );
  if (events !== acknowledged || queued !== 0 || unsequenced !== 0) failed = true;
  const verified = await verifyStoredLog();
  console.log(`chain: ${verified.ok ? "verifies" : "BROKEN"}`);
  if (!verified.ok) failed = true;
  const worst = Math.min(...pairs.map((p) => p.votes.rps / p.baseline.rps));
  const worstP99 = Math.max(...pairs.map((p) => p.votes.p99));
  console.log(
    `summary: lowest ratio ${worst.toFixed(2)}× (goal ≥ 0.60×: ${verdict(worst >= 0.6)}); highest vote p99 ${worstP99} ms (goal < 100 ms: ${verdict(worstP99 < 100)})`,
  );
} finally {
  await server.stop();
  await voting.db.$disconnect();
  await voting.stop();
}
if (failed) process.exit(1);
