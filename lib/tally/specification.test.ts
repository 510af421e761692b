// Every parameter plenary-tally/2 moved from code into the document changes the tally when
// the document changes it; plenary-tally/1 documents keep the values SPEC.md lists.
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { PolicyDocument, ReliabilityPolicy } from "@/lib/voting-policies/schema";
import type { ReliabilityHistory, TallyInput, VoterFacts } from "./schema";
import { bootstrapOf, reliabilityModelOf, specificationOf } from "./specification";
import { tallyDatapoint } from "./tally";
import { voterWeights } from "./weights";

const ASOF = "2026-01-31T00:00:00.000Z";
const thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 0.05 } };
const bootstrap = { resamples: 200, level: 0.95 };
const equal: PolicyDocument = {
  name: "equal",
  version: 2,
  kind: "equal",
  description: "test",
  specification: "plenary-tally/2",
  bootstrap,
  ...thresholds,
};
const reliability: ReliabilityPolicy = {
  name: "reliability",
  version: 2,
  kind: "reliability",
  description: "test",
  specification: "plenary-tally/2",
  bootstrap,
  floorWeight: 0,
  cap: 20,
  finalLabelTrust: 0.9,
  smoothing: 1,
  optionSpace: "observed",
  accuracyBound: 1e-6,
  tolerance: 1e-9,
  maxIterations: 200,
  ...thresholds,
};

const voter = (voterId: string): VoterFacts => ({
  voterId,
  createdAt: "2025-01-01T00:00:00Z",
  verificationTier: 0,
  strata: null,
});

/** A close vote: 11 to 9, so that the interval and flip probability are not degenerate. */
function closeVote(policy: PolicyDocument): TallyInput {
  const voters = Array.from({ length: 20 }, (_, i) => voter(`voter-${String(i).padStart(2, "0")}`));
  return {
    datapointId: "dp-1",
    options: ["A", "B"],
    votes: voters.map(({ voterId }, i) => ({ voterId, option: i < 11 ? "A" : "B", at: ASOF })),
    voters,
    policy,
    policyHash: sha256Hex(canonicalJson(policy)),
    asOf: ASOF,
    reliability: null,
  };
}

describe("the specification a document names", () => {
  it("is the tally's engine, and part of its input digest", () => {
    const { specification: _, bootstrap: __, ...first } = equal;
    const v1 = tallyDatapoint(closeVote({ ...first, version: 1 }));
    const v2 = tallyDatapoint(closeVote(equal));
    expect(v1.engine).toBe("plenary-tally/1");
    expect(v2.engine).toBe("plenary-tally/2");
    expect(v2.inputDigest).not.toBe(v1.inputDigest);
    expect(v2.options).toEqual(v1.options);
  });

  it("fixes plenary-tally/1's values for documents without it, and requires them otherwise", () => {
    const { specification: _, bootstrap: __, optionSpace: ___, accuracyBound: ____, ...first } = reliability;
    expect(specificationOf(first)).toBe("plenary-tally/1");
    expect(bootstrapOf(first)).toEqual({ resamples: 200, level: 0.95 });
    expect(reliabilityModelOf(first)).toEqual({ optionSpace: "observed", accuracyBound: 1e-6 });
    // Documents are parsed at the boundary; one built in code without its fields is refused.
    expect(() => bootstrapOf({ ...equal, bootstrap: undefined })).toThrow(
      /bootstrap is required under plenary-tally\/2/,
    );
    expect(() => reliabilityModelOf({ ...reliability, optionSpace: undefined })).toThrow(/optionSpace/);
  });
});

describe("bootstrap", () => {
  const base = tallyDatapoint(closeVote(equal));

  it("draws bootstrap.resamples resamples", () => {
    const more = tallyDatapoint(closeVote({ ...equal, bootstrap: { resamples: 1000, level: 0.95 } }));
    expect(base.margin.resamples).toBe(200);
    expect(more.margin.resamples).toBe(1000);
    expect(more.flipProbability).not.toBe(base.flipProbability);
    expect(more.margin.value).toBe(base.margin.value);
  });

  it("reads the interval at bootstrap.level", () => {
    const narrow = tallyDatapoint(closeVote({ ...equal, bootstrap: { resamples: 200, level: 0.5 } }));
    expect(narrow.margin.level).toBe(0.5);
    expect(narrow.margin.lower).toBeGreaterThan(base.margin.lower);
    expect(narrow.margin.upper).toBeLessThan(base.margin.upper);
  });
});

describe("the reliability model", () => {
  const voters = ["careful", "sloppy"].map(voter);
  const weightsUnder = (policy: ReliabilityPolicy, history: ReliabilityHistory) =>
    Object.fromEntries(voterWeights(policy, voters, history, ASOF).weights.map((w) => [w.voterId, w.weight]));

  // Five offered options, but votes only ever for the label and "B".
  const options = ["A", "B", "C", "D", "E"];
  const history: ReliabilityHistory = { finalized: [], votes: [] };
  for (let d = 0; d < 12; d++) {
    history.finalized.push({ datapointId: `f${d}`, label: "A", options });
    history.votes.push({ datapointId: `f${d}`, voterId: "careful", option: d < 11 ? "A" : "B" });
    history.votes.push({ datapointId: `f${d}`, voterId: "sloppy", option: d < 7 ? "A" : "B" });
  }

  it("spreads wrong votes over the optionSpace the document names", () => {
    const observed = weightsUnder(reliability, history);
    const offered = weightsUnder({ ...reliability, optionSpace: "offered" }, history);
    expect(offered.careful).not.toBe(observed.careful);
    expect(offered.sloppy).not.toBe(observed.sloppy);
  });

  it("needs the offered options in the history for the offered space", () => {
    const bare = { ...history, finalized: history.finalized.map(({ datapointId, label }) => ({ datapointId, label })) };
    expect(weightsUnder(reliability, bare)).toEqual(weightsUnder(reliability, history));
    expect(() => weightsUnder({ ...reliability, optionSpace: "offered" }, bare)).toThrow(
      /offered option space needs the options/,
    );
  });

  it("keeps accuracies within the document's accuracyBound", () => {
    const unanimous: ReliabilityHistory = {
      finalized: [0, 1, 2].map((d) => ({ datapointId: `u${d}`, label: "A" })),
      votes: [0, 1, 2].map((d) => ({ datapointId: `u${d}`, voterId: "careful", option: "A" })),
    };
    const sharp = { ...reliability, smoothing: 0, finalLabelTrust: 0.999 };
    expect(weightsUnder({ ...sharp, accuracyBound: 0.01 }, unanimous).careful).toBeCloseTo(Math.log(0.99 / 0.01), 10);
    expect(weightsUnder({ ...sharp, accuracyBound: 1e-6 }, unanimous).careful).toBeGreaterThan(9);
  });
});
