// Decisions recorded under plenary-tally/1 documents (every policy published before the
// `specification` field) are re-checked byte for byte by the offline verifier, so those
// documents must keep computing exactly what they computed when recorded. The pinned digest
// below was produced by the engine as it stood before plenary-tally/2 (commit 0ce66a0), over
// the corpus this file generates; any change to plenary-tally/1's arithmetic changes it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { policyDocumentSchema, type PolicyDocument } from "@/lib/voting-policies/schema";
import type { ReliabilityHistory, TallyBatchInput, VoterFacts } from "./schema";
import { SeededRandom } from "./seeded-random";
import { tallyBatch } from "./tally";

const ASOF = "2026-01-31T00:00:00.000Z";
const REGIONS = ["africa", "americas", "asia", "europe", "oceania", "north", "south", "mars"];
const AGES = ["18-34", "35-54", "55-plus", "young", "old"];
const OPTION_SETS = [
  ["A", "B"],
  ["A", "B", "TIE", "BOTH_BAD"],
  ["1", "2", "3", "4", "5"],
  ["yes", "no"],
];

const directory = path.resolve(import.meta.dirname, "../../prisma/seed/policies");
const legacyDocuments = readdirSync(directory)
  .filter((file) => file.endsWith("-v1.json"))
  .sort()
  .map((file) => policyDocumentSchema.parse(JSON.parse(readFileSync(path.join(directory, file), "utf8"))));

const thresholds = { quorum: { minVotes: 3, minWeight: 1 }, margin: { minShare: 0.1 } };
/** Tighter caps and odd parameters, so that every branch of the weighting is exercised. */
const testDocuments: PolicyDocument[] = [
  {
    name: "tight",
    version: 1,
    kind: "representative",
    description: "test",
    ...thresholds,
    targets: { region: { north: 0.8, south: 0.2 }, age: { young: 0.3, old: 0.7 } },
    cap: 2,
    undeclaredWeight: 0.5,
    tolerance: 1e-6,
    maxIterations: 50,
  },
  {
    name: "ramp",
    version: 1,
    kind: "trust-tier",
    description: "test",
    ...thresholds,
    tierWeights: [0, 1, 3],
    newAccountRamp: { days: 10, floor: 0 },
    cap: 2.5,
  },
  {
    name: "sharp",
    version: 1,
    kind: "reliability",
    description: "test",
    ...thresholds,
    floorWeight: 0,
    cap: 8,
    finalLabelTrust: 0.95,
    smoothing: 0,
    tolerance: 1e-9,
    maxIterations: 7,
  },
];

function history(random: SeededRandom, voterIds: string[]): ReliabilityHistory {
  const result: ReliabilityHistory = { finalized: [], votes: [] };
  for (let d = 0; d < 25; d++) {
    const options = OPTION_SETS[random.nextIndex(OPTION_SETS.length)]!;
    const datapointId = `final-${d}`;
    const label = options[random.nextIndex(options.length)]!;
    result.finalized.push({ datapointId, label });
    voterIds.forEach((voterId, j) => {
      if (random.nextFloat() < 0.4) return;
      const right = random.nextFloat() < 0.5 + (0.45 * j) / voterIds.length;
      result.votes.push({ datapointId, voterId, option: right ? label : options[random.nextIndex(options.length)]! });
    });
  }
  return result;
}

/** One batch input per policy: 30 datapoints, 24 voters, with changed, late and off-list votes. */
function corpus(policy: PolicyDocument, seed: string): TallyBatchInput {
  const random = SeededRandom.fromText(seed);
  const voterIds = Array.from({ length: 24 }, (_, j) => `voter-${String(j).padStart(2, "0")}`);
  const voters: VoterFacts[] = voterIds.map((voterId) => ({
    voterId,
    createdAt: new Date(Date.parse(ASOF) - Math.floor(random.nextFloat() * 60 * 86_400_000)).toISOString(),
    verificationTier: random.nextIndex(5),
    strata:
      random.nextFloat() < 0.2
        ? null
        : { region: REGIONS[random.nextIndex(REGIONS.length)]!, age: AGES[random.nextIndex(AGES.length)]! },
  }));
  const datapoints = Array.from({ length: 30 }, (_, d) => ({
    datapointId: `dp-${String(d).padStart(2, "0")}`,
    options: OPTION_SETS[random.nextIndex(OPTION_SETS.length)]!,
  }));
  const votes: TallyBatchInput["votes"] = [];
  for (const { datapointId, options } of datapoints) {
    const turnout = random.nextFloat();
    for (const voterId of voterIds) {
      if (random.nextFloat() > turnout) continue;
      const casts = 1 + random.nextIndex(3);
      for (let c = 0; c < casts; c++) {
        const option = random.nextFloat() < 0.05 ? "OFF-LIST" : options[random.nextIndex(options.length)]!;
        votes.push({
          datapointId,
          voterId,
          option,
          at: new Date(Date.parse(ASOF) - Math.floor((random.nextFloat() - 0.1) * 86_400_000)).toISOString(),
        });
      }
    }
  }
  return {
    datapoints,
    votes,
    voters,
    policy,
    policyHash: sha256Hex(canonicalJson(policy)),
    asOf: ASOF,
    reliability: policy.kind === "reliability" ? history(random, voterIds) : null,
  };
}

describe("plenary-tally/1 documents", () => {
  it("compute exactly what they computed when their decisions were recorded", () => {
    const outputs = [...legacyDocuments, ...testDocuments].flatMap((policy, p) =>
      tallyBatch(corpus(policy, `compatibility ${p}`)),
    );
    expect(outputs.every((output) => output.engine === "plenary-tally/1")).toBe(true);
    expect(sha256Hex(canonicalJson(outputs))).toBe("876538a3092fba98b450b49a640b972f321ffea6bf387364c5a361a44ba7f24e");
  });
});
