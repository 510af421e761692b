import { describe, expect, it } from "vitest";
import type { Thresholds } from "@/lib/voting-policies/schema";
import { decide, decideCode, manipulationCost, CODE_CONTESTED } from "./outcome";
import { resampleVotes } from "./resampling";

const thresholds: Thresholds = { quorum: { minVotes: 5, minWeight: 5 }, margin: { minShare: 0.1 } };
const AB = ["A", "B"];

describe("decision rule and reason codes", () => {
  it("decides the leader when quorum and margin are met", () => {
    const decision = decide(AB, [6, 4], 10, thresholds);
    expect(decision.outcome).toEqual({ kind: "decided", option: "A" });
    expect(decision.rule).toEqual({
      id: "plurality",
      text: "A leads B by 20% of the weight, at least the required 10%",
    });
  });

  it("is BELOW_QUORUM with too few votes carrying weight, or too little weight", () => {
    expect(decide(AB, [4, 0], 4, thresholds).rule.id).toBe("quorum.minVotes");
    expect(decide(AB, [2.5, 0], 5, thresholds)).toMatchObject({
      outcome: { kind: "no-decision", reason: "BELOW_QUORUM" },
      rule: { id: "quorum.minWeight", text: "total weight 2.5 is below the quorum of 5" },
    });
  });

  it("is CONTESTED on an exact tie, never a random pick, even at float precision", () => {
    const lenient: Thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 0 } };
    expect(decide(["A", "B", "C"], [3, 1, 3], 7, lenient)).toMatchObject({
      outcome: { kind: "no-decision", reason: "CONTESTED" },
      rule: { id: "tie", text: "A and C are tied for the lead" },
    });
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(decideCode([0.1 + 0.2, 0.3], 2, lenient)).toBe(CODE_CONTESTED);
  });

  it("is MARGIN_TOO_SMALL below the margin, and decided exactly at it", () => {
    expect(decide(AB, [10, 9], 19, thresholds)).toMatchObject({
      outcome: { kind: "no-decision", reason: "MARGIN_TOO_SMALL" },
      rule: { id: "margin.minShare" },
    });
    expect(decide(AB, [11, 9], 20, thresholds).outcome).toEqual({ kind: "decided", option: "A" });
  });
});

describe("manipulation cost", () => {
  // Existing votes weigh 1 each here, so the sums are also the vote counts.
  const cost = (sums: number[], newcomer = 1, rules = thresholds, options = AB) =>
    manipulationCost(
      options,
      sums,
      sums.reduce((a, b) => a + b, 0),
      rules,
      newcomer,
    );

  it("counts the accounts that unseat a decided winner (hand-computed)", () => {
    // 6–4: one more B makes 6–5, a margin of 1/11 < 10%.
    expect(cost([6, 4])).toEqual({ accounts: 1, option: "B", newAccountWeight: 1, reason: null });
    // 8–2: B needs (8 − 2 − k)/(10 + k) < 0.1, so k > 4.55: 5 accounts.
    expect(cost([8, 2])).toMatchObject({ accounts: 5, option: "B" });
    // A third option costs more (7) than the runner-up (5).
    expect(cost([8, 2, 0], 1, thresholds, ["A", "B", "C"])).toMatchObject({ accounts: 5, option: "B" });
  });

  it("counts the accounts that force a decision where there was none", () => {
    // BELOW_QUORUM at 3–0: two more for A reach 5 votes with a 100% margin.
    expect(cost([3, 0])).toMatchObject({ accounts: 2, option: "A" });
    // CONTESTED at 5–5: one makes 6–5 (9%), two make 7–5 (16.7%); A is first in display order.
    expect(cost([5, 5])).toMatchObject({ accounts: 2, option: "A" });
    // MARGIN_TOO_SMALL at 10–9: one more makes 11–9, exactly the 10% margin.
    expect(cost([10, 9])).toMatchObject({ accounts: 1, option: "A" });
  });

  it("scales with the weight of a new account", () => {
    // Trust-tier newcomer at 0.1: (2 − 0.1k)/(10 + 0.1k) < 0.1 needs k > 9.09.
    expect(cost([6, 4], 0.1)).toMatchObject({ accounts: 10, option: "B", newAccountWeight: 0.1 });
  });

  it("is null when new accounts weigh nothing, or when no number of them suffices", () => {
    expect(cost([6, 4], 0)).toEqual({
      accounts: null,
      option: null,
      newAccountWeight: 0,
      reason: "NEWCOMERS_WEIGH_NOTHING",
    });
    const unanimity: Thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 1 } };
    expect(cost([3, 1], 1, unanimity)).toEqual({
      accounts: null,
      option: null,
      newAccountWeight: 1,
      reason: "UNREACHABLE",
    });
  });
});

describe("bootstrap resampling", () => {
  const seed = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  const bootstrap = { resamples: 200, level: 0.95 };
  const votesFor = (counts: number[]) =>
    Int32Array.from(counts.flatMap((count, option) => new Array<number>(count).fill(option)));

  it("is certain about a unanimous vote", () => {
    const options = votesFor([30, 0]);
    const result = resampleVotes(
      options,
      new Float64Array(30).fill(1),
      2,
      thresholds,
      { code: 0, leader: 0 },
      seed,
      bootstrap,
    );
    expect(result).toEqual({ lower: 1, upper: 1, flipProbability: 0, resamples: 200 });
  });

  it("finds a narrow lead fragile, with an interval around the observed margin", () => {
    const options = votesFor([52, 48]);
    const lenient: Thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 0 } };
    const result = resampleVotes(
      options,
      new Float64Array(100).fill(1),
      2,
      lenient,
      { code: 0, leader: 0 },
      seed,
      bootstrap,
    );
    expect(result.lower).toBeLessThan(0);
    expect(result.upper).toBeGreaterThan(0.04);
    expect(result.flipProbability).toBeGreaterThan(0.2);
    expect(result.flipProbability).toBeLessThan(0.5);
    // The same seed gives the same numbers; another seed, other numbers.
    expect(
      resampleVotes(options, new Float64Array(100).fill(1), 2, lenient, { code: 0, leader: 0 }, seed, bootstrap),
    ).toEqual(result);
    const other = resampleVotes(
      options,
      new Float64Array(100).fill(1),
      2,
      lenient,
      { code: 0, leader: 0 },
      "f".repeat(64),
      bootstrap,
    );
    expect(other).not.toEqual(result);
  });

  it("has nothing to resample without votes", () => {
    expect(
      resampleVotes(new Int32Array(0), new Float64Array(0), 2, thresholds, { code: -1, leader: 0 }, seed, bootstrap),
    ).toEqual({
      lower: 0,
      upper: 0,
      flipProbability: 0,
      resamples: 0,
    });
  });
});
