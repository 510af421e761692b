// Benchmark of the API rate limit counted in PostgreSQL (lib/limits/mutations.ts): what one
// shared bucket statement per request costs. Two production servers from the same build, on
// one fresh embedded PostgreSQL, serve POST /api/ping (a trivial route behind the same proxy):
// one with the limit off (the baseline), one with the limit on and a bucket too large to
// refuse anything, so every request takes a token and none is turned away. Measured in the
// same run, alternating, twice:
//   - 1,000 clients (X-Forwarded-For, PLENARY_TRUST_PROXY=1): the realistic case, a row each;
//   - one client: every request takes the same row's lock, the worst case.
// Run with
//   npm run bench:ratelimit -- [--connections 64] [--seconds 10]
// Needs a production build in .next (npm run build; see BENCHMARKS.md, "Server").
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { machineLine, ratio, verdict } from "./support/measure";
import { startBenchServer, type BenchServer } from "./support/server";
import { votingDatabase } from "./support/voting";

const { values } = parseArgs({
  options: { connections: { type: "string", default: "64" }, seconds: { type: "string", default: "10" } },
});
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
const CLIENTS = 1_000;

console.log(machineLine());
console.log(`${CONNECTIONS} connections, ${SECONDS} s per measured run`);
const voting = await votingDatabase("ratelimit", 10);

async function serverWith(settings: Record<string, string>): Promise<BenchServer> {
  Object.assign(process.env, settings);
  return startBenchServer(process.env.DATABASE_URL!);
}
const off = await serverWith({ PLENARY_API_RATE_PER_MINUTE: "0", PLENARY_TRUST_PROXY: "1" });
const on = await serverWith({
  PLENARY_API_RATE_PER_MINUTE: "1000000",
  PLENARY_API_RATE_BURST: "1000000",
  PLENARY_TRUST_PROXY: "1",
});

/** The n-th request's client: one of `clients` addresses in 10.0.0.0/8, or one documentation address alone. */
function address(clients: number, n: number): string {
  if (clients === 1) return "192.0.2.1";
  const c = n % clients;
  return `10.${c >> 16}.${(c >> 8) & 255}.${c & 255}`;
}

type Run = { rps: number; p50: number; p99: number; ok: number; other: number };

async function run(label: string, server: BenchServer, clients: number): Promise<Run> {
  let n = 0;
  const result = await autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/api/ping",
        setupRequest: (request) => ({ ...request, headers: { "x-forwarded-for": address(clients, n++) } }),
      },
    ],
  });
  const out = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    other: result.non2xx + result.errors + result.timeouts,
  };
  console.log(
    `${label}: ${Math.round(out.rps).toLocaleString("en")} requests/s, latency p50 ${out.p50} ms, p99 ${out.p99} ms; ${out.ok.toLocaleString("en")} 2xx, ${out.other} other`,
  );
  return out;
}

let failed = false;
try {
  await run("warm-up, limit off", off, CLIENTS);
  await run("warm-up, limit on", on, CLIENTS);
  const ratios: { many: number; one: number }[] = [];
  for (let round = 1; round <= 2; round++) {
    const baseline = await run(`round ${round} baseline, limit off`, off, CLIENTS);
    const many = await run(`round ${round} limit on, ${CLIENTS.toLocaleString("en")} clients`, on, CLIENTS);
    const one = await run(`round ${round} limit on, one client`, on, 1);
    if (many.other > 0 || one.other > 0 || baseline.other > 0) failed = true;
    ratios.push({ many: many.rps / baseline.rps, one: one.rps / baseline.rps });
    console.log(
      `round ${round}: ${CLIENTS.toLocaleString("en")} clients ${ratio(many.rps, baseline.rps)} (goal ≥ 0.75×: ${verdict(many.rps >= 0.75 * baseline.rps)}), one client ${ratio(one.rps, baseline.rps)}`,
    );
  }
  const { rows } = await (
    await import("@/lib/db")
  ).pool.query<{ n: number }>("SELECT count(*)::int AS n FROM api_rate_buckets");
  console.log(
    `buckets: ${rows[0]!.n.toLocaleString("en")} rows (goal: ${CLIENTS.toLocaleString("en")} + 1: ${verdict(rows[0]!.n === CLIENTS + 1)})`,
  );
  if (rows[0]!.n !== CLIENTS + 1) failed = true;
  const worst = Math.min(...ratios.map((r) => r.many));
  console.log(
    `summary: lowest ratio with ${CLIENTS.toLocaleString("en")} clients ${worst.toFixed(2)}× (goal ≥ 0.75×: ${verdict(worst >= 0.75)}); one client ${Math.min(...ratios.map((r) => r.one)).toFixed(2)}×`,
  );
} finally {
  await off.stop();
  await on.stop();
  await voting.db.$disconnect();
  await voting.stop();
}
if (failed) process.exit(1);
