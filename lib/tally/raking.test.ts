import { describe, expect, it } from "vitest";
import type { RepresentativePolicy } from "@/lib/policies/schema";
import { rakeVoters } from "./raking";
import type { VoterFacts } from "./schema";
import { voterWeights } from "./weights";
import { SeededRandom } from "./seeded-random";

const policy: RepresentativePolicy = {
  name: "representative",
  version: 1,
  kind: "representative",
  description: "test",
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
      for (const [code, target] of Object.entries(policy.targets[dimension]!)) expect(shares[code]).toBeCloseTo(target, 5);
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
      { voterId: "x-odd", createdAt: "2025-01-01T00:00:00Z", verificationTier: 0, strata: { region: "mars", age: "old" } },
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
