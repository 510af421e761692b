import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policyDocumentSchema, type PolicyDocument, type TrustTierPolicy } from "@/lib/voting-policies/schema";
import type { ReliabilityHistory, VoterFacts } from "./schema";
import { newcomerWeight, voterWeights } from "./weights";

const ASOF = "2026-01-31T00:00:00.000Z";
const daysBefore = (days: number) => new Date(Date.parse(ASOF) - days * 86_400_000).toISOString();
const voter = (
  voterId: string,
  verificationTier: number,
  createdDaysAgo: number,
  strata: VoterFacts["strata"] = null,
): VoterFacts => ({
  voterId,
  createdAt: daysBefore(createdDaysAgo),
  verificationTier,
  strata,
});
const thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 0 } };
const trustTier: TrustTierPolicy = {
  name: "trust-tier",
  version: 1,
  kind: "trust-tier",
  description: "test",
  tierWeights: [0.5, 1, 1.5, 2],
  newAccountRamp: { days: 30, floor: 0.2 },
  cap: 1.8,
  ...thresholds,
};

describe("trust-tier weights", () => {
  const weightOf = (facts: VoterFacts) => voterWeights(trustTier, [facts], null, ASOF).weights[0]!;

  it("weighs by tier, ramping new accounts in linearly from the floor", () => {
    expect(weightOf(voter("a", 1, 60)).weight).toBe(1);
    expect(weightOf(voter("b", 1, 0)).weight).toBe(0.2);
    expect(weightOf(voter("c", 1, 15)).weight).toBe(0.6); // 0.2 + 0.8 × 15/30
    expect(weightOf(voter("d", 2, 15)).weight).toBe(0.9);
    expect(weightOf(voter("e", 0, 30)).weight).toBe(0.5);
  });

  it("caps the weight, and gives tiers past the list the last entry", () => {
    expect(weightOf(voter("f", 3, 90))).toEqual({
      voterId: "f",
      weight: 1.8,
      explanation: "tier 3 weight 2, capped at 1.8 = 1.8",
    });
    expect(weightOf(voter("g", 9, 90)).weight).toBe(1.8);
  });

  it("treats an account created after asOf as brand new", () => {
    expect(weightOf(voter("h", 1, -5)).weight).toBe(0.2);
  });

  it("explains the ramp", () => {
    expect(weightOf(voter("c", 1, 15)).explanation).toBe("tier 1 weight 1 × ramp 0.6 (15 of 30 days) = 0.6");
  });
});

describe("newcomer weight (the unit of manipulation cost)", () => {
  it("is the weight of a brand-new, tier-0, history-less, undeclared account", () => {
    expect(newcomerWeight({ name: "equal", version: 1, kind: "equal", description: "test", ...thresholds })).toBe(1);
    expect(newcomerWeight(trustTier)).toBe(0.1);
    expect(newcomerWeight({ ...trustTier, newAccountRamp: { days: 0, floor: 0 } })).toBe(0.5);
    expect(newcomerWeight({ ...trustTier, tierWeights: [0, 1] })).toBe(0);
  });
});

describe("weights respect the policy's bounds (property)", () => {
  const history: ReliabilityHistory = {
    finalized: [
      { datapointId: "f1", label: "A" },
      { datapointId: "f2", label: "B" },
    ],
    votes: [
      { datapointId: "f1", voterId: "v0", option: "A" },
      { datapointId: "f2", voterId: "v0", option: "B" },
      { datapointId: "f1", voterId: "v1", option: "B" },
    ],
  };
  const policies: PolicyDocument[] = [
    trustTier,
    {
      name: "reliability",
      version: 1,
      kind: "reliability",
      description: "test",
      floorWeight: 0.2,
      cap: 1.5,
      finalLabelTrust: 0.9,
      smoothing: 0.5,
      tolerance: 1e-9,
      maxIterations: 50,
      ...thresholds,
    },
    {
      name: "representative",
      version: 1,
      kind: "representative",
      description: "test",
      targets: { region: { north: 0.9, south: 0.1 } },
      cap: 2.5,
      undeclaredWeight: 0.7,
      tolerance: 1e-6,
      maxIterations: 100,
      ...thresholds,
    },
  ];
  const votersArbitrary = fc.uniqueArray(
    fc.record({
      voterId: fc.constantFrom("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"),
      verificationTier: fc.nat({ max: 6 }),
      days: fc.integer({ min: -10, max: 100 }),
      strata: fc.option(fc.record({ region: fc.constantFrom("north", "south", "west") })),
    }),
    { selector: (v) => v.voterId, minLength: 1 },
  );

  it("keeps every weight within [floor, cap]", () => {
    fc.assert(
      fc.property(votersArbitrary, fc.constantFrom(...policies), (drawn, policy) => {
        const voters = drawn.map((v) => voter(v.voterId, v.verificationTier, v.days, v.strata));
        const { weights } = voterWeights(policy, voters, history, ASOF);
        expect(weights.map((w) => w.voterId)).toEqual(voters.map((v) => v.voterId).sort());
        const cap = "cap" in policy ? policy.cap : 1;
        const floor = policy.kind === "reliability" ? policy.floorWeight : 0;
        for (const { weight } of weights) {
          expect(weight).toBeLessThanOrEqual(cap);
          expect(weight).toBeGreaterThanOrEqual(floor);
        }
      }),
    );
  });

  it("refuses a voter listed twice, and the reliability policy without history", () => {
    expect(() => voterWeights(trustTier, [voter("x", 0, 1), voter("x", 1, 1)], null, ASOF)).toThrow(/listed twice/);
    expect(() => voterWeights(policies[1]!, [voter("x", 0, 1)], null, ASOF)).toThrow(/history/);
  });
});

describe("policy documents", () => {
  const directory = path.resolve(import.meta.dirname, "../../prisma/seed/policies");

  it("ships valid, described documents of every kind", () => {
    const documents = readdirSync(directory).map((file) =>
      policyDocumentSchema.parse(JSON.parse(readFileSync(path.join(directory, file), "utf8"))),
    );
    expect([...new Set(documents.map((document) => document.kind))].sort()).toEqual([
      "equal",
      "reliability",
      "representative",
      "trust-tier",
    ]);
    for (const document of documents) expect(document.description.length).toBeGreaterThan(100);
  });

  it("rejects inconsistent parameters", () => {
    const common = { name: "bad", version: 1, description: "test", ...thresholds, tolerance: 1e-6, maxIterations: 10 };
    const targetsOver = {
      ...common,
      kind: "representative",
      targets: { region: { north: 0.6, south: 0.6 } },
      cap: 3,
      undeclaredWeight: 1,
    };
    expect(policyDocumentSchema.safeParse(targetsOver).error?.issues[0]?.message).toMatch(/sum to 1/);
    const floorOverCap = { ...common, kind: "reliability", floorWeight: 2, cap: 1, finalLabelTrust: 0.8, smoothing: 1 };
    expect(policyDocumentSchema.safeParse(floorOverCap).error?.issues[0]?.message).toMatch(/floorWeight/);
  });
});
