import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { PolicyDocument } from "@/lib/voting-policies/schema";
import { countVotes } from "./counts";
import { published } from "./precision";
import { tallyInputSchema, type ReliabilityHistory, type TallyInput, type VoterFacts } from "./schema";
import { SeededRandom } from "./seeded-random";
import { tallyBatch, tallyDatapoint, type TallyOutput } from "./tally";

const ASOF = "2026-01-31T00:00:00.000Z";
const minutesBefore = (minutes: number) => new Date(Date.parse(ASOF) - minutes * 60_000).toISOString();
const VOTERS = Array.from({ length: 10 }, (_, i) => `voter-${i}`);
const thresholds = { quorum: { minVotes: 3, minWeight: 1 }, margin: { minShare: 0.1 } };
const base = { version: 1, description: "test", ...thresholds };

const POLICIES: PolicyDocument[] = [
  { ...base, name: "equal", kind: "equal" },
  {
    ...base,
    name: "trust-tier",
    kind: "trust-tier",
    tierWeights: [0.5, 1, 2],
    newAccountRamp: { days: 30, floor: 0.2 },
    cap: 1.5,
  },
  {
    ...base,
    name: "reliability",
    kind: "reliability",
    floorWeight: 0.3,
    cap: 3,
    finalLabelTrust: 0.8,
    smoothing: 2,
    tolerance: 1e-9,
    maxIterations: 100,
  },
  {
    ...base,
    name: "representative",
    kind: "representative",
    targets: { region: { north: 0.5, south: 0.5 }, age: { young: 0.3, old: 0.7 } },
    cap: 4,
    undeclaredWeight: 1,
    tolerance: 1e-9,
    maxIterations: 200,
  },
];
/** The same policies under plenary-tally/2, the reliability one over the offered options. */
const CURRENT: PolicyDocument[] = POLICIES.map((policy) => ({
  ...policy,
  specification: "plenary-tally/2",
  bootstrap: { resamples: 120, level: 0.9 },
  ...(policy.kind === "reliability" ? { optionSpace: "offered", accuracyBound: 1e-4 } : {}),
}));

/** A small finalized history in which voters 0–4 mostly agree with the final label. */
const HISTORY: ReliabilityHistory = (() => {
  const random = SeededRandom.fromText("tally test history");
  const history: ReliabilityHistory = { finalized: [], votes: [] };
  for (let d = 0; d < 20; d++) {
    const label = random.nextFloat() < 0.5 ? "A" : "B";
    history.finalized.push({ datapointId: `final-${d}`, label, options: ["A", "B", "TIE"] });
    VOTERS.forEach((voterId, j) => {
      const right = random.nextFloat() < (j < 5 ? 0.9 : 0.55);
      history.votes.push({ datapointId: `final-${d}`, voterId, option: right ? label : label === "A" ? "B" : "A" });
    });
  }
  return history;
})();

const OPTION_SETS = [
  ["A", "B"],
  ["A", "B", "TIE"],
  ["1", "2", "3", "4", "5"],
];

const inputArbitrary: fc.Arbitrary<TallyInput> = fc
  .record({
    policy: fc.constantFrom(...POLICIES, ...CURRENT),
    options: fc.constantFrom(...OPTION_SETS),
    // Option indices past the list become an option the datapoint does not offer; negative
    // minutes are votes after asOf.
    votes: fc.array(
      fc.record({
        voter: fc.nat({ max: 9 }),
        option: fc.nat({ max: 5 }),
        minutes: fc.integer({ min: -100, max: 90_000 }),
      }),
      {
        maxLength: 40,
      },
    ),
    facts: fc.array(
      fc.record({
        tier: fc.nat({ max: 3 }),
        days: fc.integer({ min: -2, max: 60 }),
        strata: fc.option(
          fc.record({ region: fc.constantFrom("north", "south"), age: fc.constantFrom("young", "old", "unknown") }),
        ),
      }),
      { minLength: 10, maxLength: 10 },
    ),
  })
  .map(({ policy, options, votes, facts }) => ({
    datapointId: "dp-1",
    options,
    votes: votes.map(({ voter, option, minutes }) => ({
      voterId: VOTERS[voter]!,
      option: options[option] ?? "X",
      at: minutesBefore(minutes),
    })),
    voters: facts.map(({ tier, days, strata }, i) => ({
      voterId: VOTERS[i]!,
      createdAt: minutesBefore(days * 1440),
      verificationTier: tier,
      strata,
    })),
    policy,
    policyHash: sha256Hex(canonicalJson(policy)),
    asOf: ASOF,
    reliability: HISTORY,
  }));

function shuffled<T>(items: T[], seed: number): T[] {
  const random = SeededRandom.fromText(`shuffle ${seed}`);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.nextIndex(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("tally properties", () => {
  it("generates valid inputs", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        expect(tallyInputSchema.safeParse(input).success).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it("does not depend on the order of votes or voters", () => {
    fc.assert(
      fc.property(inputArbitrary, fc.nat(), (input, seed) => {
        const permuted = { ...input, votes: shuffled(input.votes, seed), voters: shuffled(input.voters, seed + 1) };
        expect(canonicalJson(tallyDatapoint(permuted))).toBe(canonicalJson(tallyDatapoint(input)));
      }),
    );
  });

  it("gives identical bytes for identical input, alone or in a batch, with published numbers only", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const text = canonicalJson(tallyDatapoint(structuredClone(input)));
        expect(canonicalJson(tallyDatapoint(structuredClone(input)))).toBe(text);
        const { datapointId, options, votes, ...shared } = input;
        const batch = tallyBatch({
          ...shared,
          datapoints: [
            { datapointId: "dp-0", options: ["A", "B"] },
            { datapointId, options },
          ],
          votes: [
            ...votes.map((vote) => ({ ...vote, datapointId })),
            { datapointId: "dp-0", voterId: VOTERS[0]!, option: "A", at: ASOF },
          ],
        });
        expect(canonicalJson(batch[1])).toBe(text);
        JSON.parse(text, (_, value) => {
          if (typeof value === "number") expect(published(value)).toBe(value);
          return value;
        });
      }),
    );
  });

  it("equals plain counts under the equal policy", () => {
    const equal = POLICIES[0]!;
    fc.assert(
      fc.property(inputArbitrary, (generated) => {
        // One current vote per voter for an offered option: what countVotes is given.
        const seen = new Set<string>();
        const votes = generated.votes.filter(
          (v) => generated.options.includes(v.option) && !seen.has(v.voterId) && seen.add(v.voterId),
        );
        const input = {
          ...generated,
          policy: equal,
          policyHash: sha256Hex(canonicalJson(equal)),
          votes: votes.map((v) => ({ ...v, at: ASOF })),
        };
        const output = tallyDatapoint(input);
        const counts = countVotes(input.options, votes);
        expect(output.options).toEqual(
          counts.options.map(({ option, count, share }) => ({
            option,
            votes: count,
            weight: count,
            share: published(share),
          })),
        );
        expect(output.totalWeight).toBe(counts.total);
        expect(output.effectiveSampleSize).toBe(counts.total);
        expect(output.designEffect).toBe(counts.total ? 1 : null);
      }),
    );
  });

  it("never makes the winner lose when a newcomer votes for it", () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const before = tallyDatapoint(input);
        fc.pre(before.outcome.kind === "decided");
        const winner = (before.outcome as { option: string }).option;
        // Undeclared, so the representative policy does not re-rake the others.
        const newcomer: VoterFacts = {
          voterId: "zz-newcomer",
          createdAt: minutesBefore(100),
          verificationTier: 0,
          strata: null,
        };
        const after = tallyDatapoint({
          ...input,
          voters: [...input.voters, newcomer],
          votes: [...input.votes, { voterId: "zz-newcomer", option: winner, at: ASOF }],
        });
        expect(after.outcome).toEqual(before.outcome);
        expect(after.margin.value).toBeGreaterThanOrEqual(before.margin.value);
      }),
    );
  });
});

describe("tally examples", () => {
  const equal = POLICIES[0]!;
  const facts = VOTERS.map((voterId): VoterFacts => ({
    voterId,
    createdAt: "2025-01-01T00:00:00Z",
    verificationTier: 1,
    strata: null,
  }));
  const input = (votes: TallyInput["votes"], policy: PolicyDocument = equal): TallyInput => ({
    datapointId: "dp-1",
    options: ["A", "B"],
    votes,
    voters: facts,
    policy,
    policyHash: sha256Hex(canonicalJson(policy)),
    asOf: ASOF,
    reliability: null,
  });

  it("counts each voter's latest vote at or before asOf, for offered options only", () => {
    const output: TallyOutput = tallyDatapoint(
      input([
        { voterId: "voter-0", option: "B", at: minutesBefore(60) },
        { voterId: "voter-0", option: "A", at: minutesBefore(30) }, // changed mind: counts
        { voterId: "voter-1", option: "A", at: minutesBefore(10) },
        { voterId: "voter-1", option: "B", at: minutesBefore(-10) }, // after asOf: ignored
        { voterId: "voter-2", option: "A", at: minutesBefore(5) },
        { voterId: "voter-3", option: "MAYBE", at: minutesBefore(5) }, // not an option
        { voterId: "voter-4", option: "B", at: minutesBefore(5) },
      ]),
    );
    expect(output).toMatchObject({
      engine: "plenary-tally/1",
      datapointId: "dp-1",
      policyKind: "equal",
      asOf: ASOF,
      options: [
        { option: "A", votes: 3, weight: 3, share: 0.75 },
        { option: "B", votes: 1, weight: 1, share: 0.25 },
      ],
      votes: 4,
      votesWithWeight: 4,
      ignoredVotes: 3,
      totalWeight: 4,
      effectiveSampleSize: 4,
      designEffect: 1,
      outcome: { kind: "decided", option: "A" },
      rule: { id: "plurality" },
      margin: { value: 0.5, level: 0.95, method: "bootstrap-percentile", resamples: 200 },
      manipulationCost: { accounts: 2, option: "B", newAccountWeight: 1, reason: null },
      weightingFit: null,
    });
    expect(output.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(output.margin.lower).toBeLessThanOrEqual(output.margin.value);
    expect(output.margin.upper).toBe(1);
  });

  it("reports Kish's effective sample size and design effect for unequal weights", () => {
    const trustTier = POLICIES[1]!; // tier weights 0.5, 1, 2 (capped at 1.5); accounts are old
    const tiers = [0, 1, 2, 2];
    const output = tallyDatapoint({
      ...input(
        tiers.map((_, i) => ({ voterId: VOTERS[i]!, option: "A", at: ASOF })),
        trustTier,
      ),
      voters: facts.map((f, i) => ({ ...f, verificationTier: tiers[i] ?? 0 })),
    });
    // w = 0.5, 1, 1.5, 1.5: (Σw)² / Σw² = 4.5² / 5.75.
    expect(output.totalWeight).toBe(4.5);
    expect(output.effectiveSampleSize).toBe(published(20.25 / 5.75));
    expect(output.designEffect).toBe(published(4 / (20.25 / 5.75)));
  });

  it("refuses a wrong policy hash, unknown voters and duplicate datapoints", () => {
    expect(() => tallyDatapoint({ ...input([]), policyHash: "0".repeat(64) })).toThrow(/policyHash/);
    expect(() => tallyDatapoint(input([{ voterId: "stranger", option: "A", at: ASOF }]))).toThrow(
      /no facts for voter stranger/,
    );
    const { datapointId: _, options: __, votes: ___, ...shared } = input([]);
    const datapoints = [
      { datapointId: "x", options: ["A"] },
      { datapointId: "x", options: ["A"] },
    ];
    expect(() => tallyBatch({ ...shared, datapoints, votes: [] })).toThrow(/listed twice/);
  });

  it("changes the digest, and only the digest-seeded numbers, when the facts change", () => {
    const votes = VOTERS.slice(0, 6).map((voterId, i) => ({ voterId, option: i < 4 ? "A" : "B", at: ASOF }));
    const first = tallyDatapoint(input(votes));
    const moved = tallyDatapoint({ ...input(votes), asOf: "2026-02-01T00:00:00Z" });
    expect(moved.inputDigest).not.toBe(first.inputDigest);
    expect(moved.asOf).toBe("2026-02-01T00:00:00.000Z");
    expect(moved.options).toEqual(first.options);
  });
});
