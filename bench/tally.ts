// Benchmark of the tally engine at site scale: 1M votes over 10k datapoints by 100k voters,
// weighted by the shipped reliability policy (Dawid–Skene over a synthetic finalized
// history), every datapoint tallied with bootstrap and manipulation cost. Run with
//   npx tsx bench/tally.ts
// A script, not a test: it prints timings, and a plain count of the same votes measured in
// the same run as the baseline. All data come from a seeded generator, so runs compare.
import { readFileSync } from "node:fs";
import path from "node:path";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { countVotes } from "@/lib/tally/counts";
import type { ReliabilityHistory, TallyBatchInput, VoterFacts } from "@/lib/tally/schema";
import { SeededRandom } from "@/lib/tally/seeded-random";
import { tallyBatch } from "@/lib/tally/tally";
import { voterWeights } from "@/lib/tally/weights";

const VOTERS = 100_000;
const DATAPOINTS = 10_000;
const VOTES_PER_DATAPOINT = 100;
const HISTORY_DATAPOINTS = 5_000;
const HISTORY_VOTES_PER_DATAPOINT = 60;
const OPTIONS = ["A", "B", "TIE"];
const ASOF = "2026-01-01T00:00:00.000Z";
const START = Date.parse("2025-01-01T00:00:00.000Z");

const random = SeededRandom.fromText("plenary bench v1");
const pad = (prefix: string, i: number) => `${prefix}${String(i).padStart(6, "0")}`;

/** Each synthetic voter picks the true option with their own accuracy, else another at random. */
const accuracy = Float64Array.from({ length: VOTERS }, () => 0.45 + 0.5 * random.nextFloat());
function choose(voter: number, truth: number): string {
  if (random.nextFloat() < accuracy[voter]!) return OPTIONS[truth]!;
  return OPTIONS[(truth + 1 + random.nextIndex(OPTIONS.length - 1)) % OPTIONS.length]!;
}
/** `count` distinct voters for one datapoint. */
function panel(count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(random.nextIndex(VOTERS));
  return [...chosen];
}

function generate(): { input: TallyBatchInput; voterIds: string[] } {
  const voterIds = Array.from({ length: VOTERS }, (_, i) => pad("voter-", i));
  const voters: VoterFacts[] = voterIds.map((voterId, i) => ({
    voterId,
    createdAt: new Date(START + (i % 300) * 86_400_000).toISOString(),
    verificationTier: i % 3,
    strata: null,
  }));
  const history: ReliabilityHistory = { finalized: [], votes: [] };
  for (let d = 0; d < HISTORY_DATAPOINTS; d++) {
    const datapointId = pad("final-", d);
    const truth = random.nextIndex(OPTIONS.length);
    // Moderators are right 90% of the time here: the EM must not take them as gospel.
    const label = random.nextFloat() < 0.9 ? truth : (truth + 1) % OPTIONS.length;
    history.finalized.push({ datapointId, label: OPTIONS[label]! });
    for (const voter of panel(HISTORY_VOTES_PER_DATAPOINT)) {
      history.votes.push({ datapointId, voterId: voterIds[voter]!, option: choose(voter, truth) });
    }
  }
  const datapoints: TallyBatchInput["datapoints"] = [];
  const votes: TallyBatchInput["votes"] = [];
  for (let d = 0; d < DATAPOINTS; d++) {
    const datapointId = pad("open-", d);
    const truth = random.nextIndex(OPTIONS.length);
    datapoints.push({ datapointId, options: OPTIONS });
    for (const voter of panel(VOTES_PER_DATAPOINT)) {
      const at = new Date(START + random.nextIndex(300 * 86_400)).toISOString();
      votes.push({ datapointId, voterId: voterIds[voter]!, option: choose(voter, truth), at });
    }
  }
  const file = path.resolve("prisma/seed/policies/reliability-v1.json");
  const policy = policyDocumentSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const policyHash = sha256Hex(canonicalJson(policy));
  return { input: { datapoints, votes, voters, policy, policyHash, asOf: ASOF, reliability: history }, voterIds };
}

function seconds(from: number): number {
  return (performance.now() - from) / 1000;
}

const generating = performance.now();
const { input, voterIds } = generate();
console.log(
  `generated ${input.votes.length.toLocaleString("en")} votes on ${DATAPOINTS.toLocaleString("en")} datapoints by ` +
    `${VOTERS.toLocaleString("en")} voters, history ${input.reliability!.votes.length.toLocaleString("en")} votes ` +
    `on ${HISTORY_DATAPOINTS.toLocaleString("en")} finalized datapoints (${seconds(generating).toFixed(2)} s)`,
);

// Baseline: a plain per-option count of the same votes, as the UI shows.
let started = performance.now();
const byDatapoint = new Map<string, { option: string }[]>();
for (const vote of input.votes) {
  const list = byDatapoint.get(vote.datapointId);
  if (list) list.push(vote);
  else byDatapoint.set(vote.datapointId, [vote]);
}
let counted = 0;
for (const { datapointId, options } of input.datapoints)
  counted += countVotes(options, byDatapoint.get(datapointId) ?? []).total;
const baseline = seconds(started);

// Weights alone, for the breakdown (tallyBatch computes them again, once, inside).
started = performance.now();
const weighting = voterWeights(input.policy, input.voters, input.reliability, input.asOf);
const weightsTime = seconds(started);

started = performance.now();
const cpuBefore = process.cpuUsage();
const outputs = tallyBatch(input);
const tallyTime = seconds(started);
const cpu = process.cpuUsage(cpuBefore);
const tallyCpu = (cpu.user + cpu.system) / 1e6;

const decided = outputs.filter((output) => output.outcome.kind === "decided").length;
const index = new Map(voterIds.map((id, i) => [id, i]));
const byAccuracy = weighting.weights.map((w) => [accuracy[index.get(w.voterId)!]!, w.weight] as const);
const meanWeight = (low: number, high: number) => {
  const band = byAccuracy.filter(([a]) => a >= low && a < high);
  return (band.reduce((sum, [, w]) => sum + w, 0) / band.length).toFixed(3);
};
const rate = (votes: number, time: number) => Math.round(votes / time).toLocaleString("en");

console.log(`baseline plain count: ${baseline.toFixed(3)} s (${rate(counted, baseline)} votes/s)`);
console.log(
  `reliability weights: ${weightsTime.toFixed(3)} s (Dawid–Skene ${weighting.fit?.iterations} iterations, ` +
    `converged: ${weighting.fit?.converged}); mean weight by planted accuracy ` +
    `<0.6: ${meanWeight(0, 0.6)}, 0.6–0.8: ${meanWeight(0.6, 0.8)}, ≥0.8: ${meanWeight(0.8, 1)}`,
);
console.log(
  `tallyBatch (weights + ${outputs.length.toLocaleString("en")} tallies, ${outputs[0]?.margin.resamples} bootstrap resamples each): ` +
    `${tallyTime.toFixed(3)} s wall, ${tallyCpu.toFixed(3)} s CPU (${rate(input.votes.length, tallyTime)} votes/s), ` +
    `${decided.toLocaleString("en")} decided`,
);
console.log(
  `ratio to baseline: ${(tallyTime / baseline).toFixed(1)}×; goal under 10 s: ${tallyTime < 10 ? "met" : "NOT met"}`,
);
