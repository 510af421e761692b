import { describe, expect, it } from "vitest";
import type { ReliabilityPolicy } from "@/lib/voting-policies/schema";
import { estimateAccuracies, ln, logOdds } from "./dawid-skene";
import { historyDigest, normalizeHistory } from "./history";
import type { ReliabilityHistory, VoterFacts } from "./schema";
import { SeededRandom } from "./seeded-random";
import { voterWeights } from "./weights";

const OPTIONS = ["A", "B", "C"];

/**
 * 30 annotators with planted accuracies from 0.5 to 0.95, 600 datapoints with 20 votes each
 * (≈ 400 votes per annotator), and moderators who finalize the true label only 85% of the
 * time: the EM has to lean on the voters' agreement, not just copy the final labels.
 */
function plantedHistory(seed: string) {
  const random = SeededRandom.fromText(seed);
  const accuracy = Array.from({ length: 30 }, (_, j) => 0.5 + (0.45 * j) / 29);
  const voterIds = accuracy.map((_, j) => `annotator-${String(j).padStart(2, "0")}`);
  const history: ReliabilityHistory = { finalized: [], votes: [] };
  const right = new Array<number>(30).fill(0);
  const cast = new Array<number>(30).fill(0);
  for (let d = 0; d < 600; d++) {
    const datapointId = `dp-${d}`;
    const truth = random.nextIndex(3);
    const label = random.nextFloat() < 0.85 ? truth : (truth + 1 + random.nextIndex(2)) % 3;
    history.finalized.push({ datapointId, label: OPTIONS[label]! });
    const panel = new Set<number>();
    while (panel.size < 20) panel.add(random.nextIndex(30));
    for (const j of panel) {
      const option = random.nextFloat() < accuracy[j]! ? truth : (truth + 1 + random.nextIndex(2)) % 3;
      cast[j]!++;
      if (option === truth) right[j]!++;
      history.votes.push({ datapointId, voterId: voterIds[j]!, option: OPTIONS[option]! });
    }
  }
  /** Each annotator's accuracy in this sample, against the hidden truth. */
  const empirical = right.map((count, j) => count / cast[j]!);
  return { accuracy, empirical, voterIds, history };
}

const parameters = { finalLabelTrust: 0.8, smoothing: 2, tolerance: 1e-8, maxIterations: 200, accuracyBound: 1e-6 };

describe("Dawid–Skene EM", () => {
  const { accuracy, empirical, voterIds, history } = plantedHistory("planted annotators");
  const normalized = normalizeHistory(history, "observed");
  const fit = estimateAccuracies(normalized, parameters);

  it("recovers planted annotator accuracies", () => {
    expect(fit.converged).toBe(true);
    expect(normalized.voterIds).toEqual(voterIds);
    voterIds.forEach((_, j) => {
      // Within sampling noise of the planted value (≈ 400 votes: 3 standard errors)…
      expect(Math.abs(fit.accuracy[j]! - accuracy[j]!)).toBeLessThan(0.07);
      // …and within 0.01 of the accuracy against the hidden truth, although moderators
      // finalized a wrong label 15% of the time.
      expect(Math.abs(fit.accuracy[j]! - empirical[j]!)).toBeLessThan(0.01);
    });
  });

  it("does better than agreement with the final labels alone", () => {
    const finalOf = new Map(history.finalized.map((f) => [f.datapointId, f.label]));
    const naive = voterIds.map((id) => {
      const mine = history.votes.filter((vote) => vote.voterId === id);
      return mine.filter((vote) => vote.option === finalOf.get(vote.datapointId)).length / mine.length;
    });
    const error = (estimate: (j: number) => number) =>
      voterIds.reduce((sum, _, j) => sum + Math.abs(estimate(j) - empirical[j]!), 0);
    expect(error((j) => fit.accuracy[j]!)).toBeLessThan(error((j) => naive[j]!) / 5);
  });

  it("gives high-accuracy voters higher weights", () => {
    const policy: ReliabilityPolicy = {
      name: "reliability",
      version: 1,
      kind: "reliability",
      description: "test",
      floorWeight: 0.1,
      cap: 3,
      ...parameters,
      quorum: { minVotes: 1, minWeight: 0 },
      margin: { minShare: 0 },
    };
    const voters: VoterFacts[] = [...voterIds, "newcomer"].map((voterId) => ({
      voterId,
      createdAt: "2025-01-01T00:00:00Z",
      verificationTier: 0,
      strata: null,
    }));
    const { weights } = voterWeights(policy, voters, history, "2026-01-01T00:00:00Z");
    const weightOf = (id: string) => weights.find((w) => w.voterId === id)!.weight;
    // The 8 best planted annotators (≥ 0.83) each outweigh the 8 worst (≤ 0.62).
    const best = Math.min(...voterIds.slice(22).map(weightOf));
    const worst = Math.max(...voterIds.slice(0, 8).map(weightOf));
    expect(best).toBeGreaterThan(worst);
    expect(weightOf("annotator-29")).toBeGreaterThan(2);
    expect(weightOf("annotator-00")).toBe(0.1); // a coin-flipper sits at the floor
    expect(weightOf("newcomer")).toBe(0.1);
    expect(weights.find((w) => w.voterId === "newcomer")!.explanation).toMatch(/no votes on finalized datapoints/);
    for (const { weight } of weights) expect(weight).toBeLessThanOrEqual(3);
  });

  it("does not depend on the order of the history", () => {
    const shuffled = { finalized: [...history.finalized].reverse(), votes: [...history.votes].reverse() };
    const again = normalizeHistory(shuffled, "observed");
    expect(historyDigest(again, "plenary-tally/2")).toBe(historyDigest(normalized, "plenary-tally/2"));
    expect(estimateAccuracies(again, parameters)).toEqual(fit);
  });

  it("refuses contradictory final labels and duplicate votes", () => {
    expect(() =>
      normalizeHistory(
        {
          finalized: [
            { datapointId: "x", label: "A" },
            { datapointId: "x", label: "B" },
          ],
          votes: [],
        },
        "observed",
      ),
    ).toThrow(/two final labels/);
    const vote = { datapointId: "x", voterId: "v", option: "A" };
    expect(() =>
      normalizeHistory(
        { finalized: [{ datapointId: "x", label: "A" }], votes: [vote, { ...vote, option: "B" }] },
        "observed",
      ),
    ).toThrow(/two votes/);
  });

  it("ignores votes on datapoints without a final label", () => {
    const only = normalizeHistory(
      { finalized: [], votes: [{ datapointId: "open", voterId: "v", option: "A" }] },
      "observed",
    );
    expect(only.voterIds).toEqual([]);
    expect(estimateAccuracies(only, parameters).accuracy.length).toBe(0);
  });
});

describe("arithmetic-only logarithm", () => {
  it("agrees with Math.log to 1e-15 relative", () => {
    for (const x of [1e-9, 0.001, 0.3, 0.5, 0.999999, 1, 1.5, 2, 3, 10, 12345.678, 1e12]) {
      expect(Math.abs(ln(x) - Math.log(x))).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(Math.log(x))));
    }
    expect(logOdds(0.5)).toBe(0);
    expect(logOdds(0.9)).toBeCloseTo(2.1972245773, 10);
    expect(() => ln(0)).toThrow(RangeError);
  });
});
