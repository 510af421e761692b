import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { representativePolicySchema, type RepresentativePolicy } from "@/lib/voting-policies/schema";
import { rakeVoters, trimToCap } from "./raking";
import type { VoterFacts } from "./schema";
import { voterWeights } from "./weights";
import { SeededRandom } from "./seeded-random";

const seeded = (file: string) =>
  representativePolicySchema.parse(
    JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../prisma/seed/policies", file), "utf8")),
  );

const policy: RepresentativePolicy = {
  name: "representative",
  version: 1,
  kind: "representative",
  description: "test",
  specification: "plenary-tally/2",
  bootstrap: { resamples: 200, level: 0.95 },
  targets: { region: { africa: 0.3, asia: 0.5, europe: 0.2 }, age: { young: 0.4, old: 0.6 } },
  cap: 20,
  undeclaredWeight: 1,
  tolerance: 1e-6,
  maxIterations: 500,
  quorum: { minVotes: 1, minWeight: 0 },
  margin: { minShare: 0 },
};

/** A sample that over-represents Europe (70%) and the young (≈ 75%). */
function skewedSample(size: number): VoterFacts[] {
  const random = SeededRandom.fromText("raking sample");
  return Array.from({ length: size }, (_, i) => {
    const draw = random.nextFloat();
    const region = draw < 0.7 ? "europe" : draw < 0.9 ? "asia" : "africa";
    return {
      voterId: `voter-${String(i).padStart(3, "0")}`,
      createdAt: "2025-01-01T00:00:00Z",
      verificationTier: 0,
      strata: { region, age: random.nextFloat() < 0.75 ? "young" : "old" },
    };
  });
}

function achievedShares(voters: VoterFacts[], weights: { voterId: string; weight: number }[], dimension: string) {
  const byId = new Map(weights.map((w) => [w.voterId, w.weight]));
  const totals = new Map<string, number>();
  let all = 0;
  for (const voter of voters) {
    const weight = byId.get(voter.voterId)!;
    totals.set(voter.strata![dimension]!, (totals.get(voter.strata![dimension]!) ?? 0) + weight);
    all += weight;
  }
  return Object.fromEntries([...totals].map(([code, total]) => [code, total / all]));
}

describe("raking (representative policy)", () => {
  const voters = skewedSample(300);
  const result = rakeVoters(policy, voters);

  it("hits every target margin within the tolerance", () => {
    expect(result.fit).toEqual({ converged: true, iterations: expect.any(Number) });
    for (const dimension of ["region", "age"]) {
      const shares = achievedShares(voters, result.weights, dimension);
      for (const [code, target] of Object.entries(policy.targets[dimension]!))
        expect(shares[code]).toBeCloseTo(target, 5);
    }
    const mean = result.weights.reduce((sum, w) => sum + w.weight, 0) / voters.length;
    expect(mean).toBeCloseTo(1, 6);
    expect(result.raking.declared).toBe(300);
  });

  it("trims weights to the cap, reporting when the margins can no longer be met", () => {
    const capped = rakeVoters({ ...policy, cap: 1.5 }, voters);
    for (const { weight } of capped.weights) expect(weight).toBeLessThanOrEqual(1.5);
    expect(capped.fit!.converged).toBe(false);
    expect(capped.raking.largestGap).toBeGreaterThan(policy.tolerance);
  });

  it("gives voters who declared nothing, part, or an unknown code the undeclared weight", () => {
    const extra: VoterFacts[] = [
      { voterId: "x-none", createdAt: "2025-01-01T00:00:00Z", verificationTier: 0, strata: null },
      { voterId: "x-part", createdAt: "2025-01-01T00:00:00Z", verificationTier: 0, strata: { region: "asia" } },
      {
        voterId: "x-odd",
        createdAt: "2025-01-01T00:00:00Z",
        verificationTier: 0,
        strata: { region: "mars", age: "old" },
      },
    ];
    const mixed = rakeVoters({ ...policy, undeclaredWeight: 0.5 }, [...voters, ...extra]);
    for (const id of ["x-none", "x-part", "x-odd"]) {
      const weight = mixed.weights.find((w) => w.voterId === id)!;
      expect(weight.weight).toBe(0.5);
      expect(weight.explanation).toMatch(/undeclared weight/);
    }
    expect(mixed.raking.declared).toBe(300);
  });

  it("spreads the target of a stratum nobody declared over the others", () => {
    const noAfrica = voters.filter((voter) => voter.strata!.region !== "africa");
    const result = rakeVoters(policy, noAfrica);
    const shares = achievedShares(noAfrica, result.weights, "region");
    expect(shares.asia).toBeCloseTo(0.5 / 0.7, 5);
    expect(shares.europe).toBeCloseTo(0.2 / 0.7, 5);
  });

  it("does not depend on the order of the voters", () => {
    const { weights, fit } = voterWeights(policy, [...voters].reverse(), null, "2026-01-01T00:00:00Z");
    expect({ weights, fit }).toEqual({ weights: result.weights, fit: result.fit });
  });
});

describe("the representative cap: no declared voter above cap × the declared voters' mean", () => {
  const person = (i: number, strata: VoterFacts["strata"]): VoterFacts => ({
    voterId: `voter-${String(i).padStart(2, "0")}`,
    createdAt: "2025-01-01T00:00:00Z",
    verificationTier: 0,
    strata,
  });
  const ages = ["18-34", "35-54", "55-plus"];
  // Asia is 59% of the target but 2 of these 12 voters.
  const rareAsia = [
    person(0, { region: "asia", age: "18-34" }),
    person(1, { region: "asia", age: "55-plus" }),
    ...Array.from({ length: 10 }, (_, i) => person(i + 2, { region: "europe", age: ages[i % 3]! })),
  ];
  const spread = (weights: { weight: number }[]) => {
    const values = weights.map((w) => w.weight);
    return { max: Math.max(...values), mean: values.reduce((sum, w) => sum + w, 0) / values.length };
  };

  it("holds for a rare stratum declared by 2 voters among 12 (representative v2)", () => {
    const policy = seeded("representative-v2.json");
    const { max, mean } = spread(rakeVoters(policy, rareAsia).weights);
    expect(mean).toBeCloseTo(1, 10);
    expect(max).toBeLessThanOrEqual(policy.cap * mean * (1 + 1e-9));
    expect(max).toBeCloseTo(policy.cap * mean, 9); // the asian voters sit at the cap
  });

  it("is the absolute clip of plenary-tally/1 under representative v1, as its decisions were recorded", () => {
    const policy = seeded("representative-v1.json");
    const { max, mean } = spread(rakeVoters(policy, rareAsia).weights);
    expect(max).toBe(5);
    expect(mean).toBeCloseTo(0.949472, 6); // so 5 is 5.27 × the mean: the reason for v2
  });

  const dimensionCodes = fc.integer({ min: 2, max: 5 });
  const scenario = fc
    .record({
      sizes: fc.array(dimensionCodes, { minLength: 1, maxLength: 3 }),
      cap: fc.double({ min: 1, max: 10, noNaN: true }),
      seed: fc.nat(),
      voters: fc.integer({ min: 1, max: 40 }),
    })
    .chain(({ sizes, cap, seed, voters }) =>
      fc.record({
        shares: fc.tuple(
          ...sizes.map((size) => fc.array(fc.integer({ min: 1, max: 100 }), { minLength: size, maxLength: size })),
        ),
        people: fc.array(fc.option(fc.tuple(...sizes.map((size) => fc.nat({ max: size - 1 }))), { freq: 6 }), {
          minLength: voters,
          maxLength: voters,
        }),
        cap: fc.constant(cap),
        seed: fc.constant(seed),
      }),
    );

  it("holds for random strata, targets and caps, over the declared voters and over everyone", () => {
    const current = seeded("representative-v2.json");
    fc.assert(
      fc.property(scenario, ({ shares, people, cap }) => {
        const targets = Object.fromEntries(
          shares.map((weights, d) => {
            const total = weights.reduce((sum, w) => sum + w, 0);
            return [`dim${d}`, Object.fromEntries(weights.map((w, c) => [`code${c}`, w / total]))];
          }),
        );
        const parsed = representativePolicySchema.safeParse({ ...current, targets, cap });
        fc.pre(parsed.success); // shares that do not sum to 1 within 1e-9 after division
        const policy = parsed.data!;
        const voters = people.map((codes, i) =>
          person(i, codes && Object.fromEntries(codes.map((c, d) => [`dim${d}`, `code${c}`]))),
        );
        const { weights, raking } = rakeVoters(policy, voters);
        const declared = weights.filter((w) => voters.find((v) => v.voterId === w.voterId)!.strata !== null);
        expect(declared).toHaveLength(raking.declared);
        if (declared.length === 0) return;
        const ofDeclared = spread(declared);
        const ofEveryone = spread(weights); // undeclared voters weigh 1, the declared mean
        expect(ofDeclared.mean).toBeCloseTo(1, 9);
        expect(ofDeclared.max).toBeLessThanOrEqual(cap * ofDeclared.mean * (1 + 1e-9));
        expect(ofEveryone.max).toBeLessThanOrEqual(cap * ofEveryone.mean * (1 + 1e-9));
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it("trims and redistributes in closed form", () => {
    const weight = Float64Array.from([3, 3, ...new Array<number>(10).fill(0.6)]);
    trimToCap(weight, 2);
    expect([...weight]).toEqual([2, 2, ...new Array<number>(10).fill(0.8)]);
    const even = Float64Array.from([4, 1, 1]);
    trimToCap(even, 1);
    expect([...even]).toEqual([1, 1, 1]);
    const within = Float64Array.from([1.5, 0.5, 1]);
    trimToCap(within, 2);
    expect([...within]).toEqual([1.5, 0.5, 1]);
  });
});
