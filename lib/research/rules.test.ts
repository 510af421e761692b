import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGREEMENT_BINS,
  THRESHOLDS,
  binCounts,
  hoursToDecision,
  manipulationCostHistogram,
  median,
  qualityQuantityCurve,
  researchLabel,
  researchView,
  type ResearchLabel,
} from "./rules";
import type { RecordedTally } from "./schema";

const cost = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((accounts) => ({ accounts })),
  fc.constantFrom("UNREACHABLE", "NEWCOMERS_WEIGH_NOTHING").map((reason) => ({ accounts: null, reason })),
) as fc.Arbitrary<ResearchLabel["manipulationCost"]>;

const label: fc.Arbitrary<ResearchLabel> = fc.record({
  datapointId: fc.uuid(),
  votes: fc.integer({ min: 0, max: 500 }),
  // Published tally numbers: at most 12 significant digits, including exact tenths.
  majorityShare: fc.oneof(
    fc.integer({ min: 0, max: 10 }).map((i) => i / 10),
    fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Number(x.toPrecision(12))),
  ),
  margin: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Number(x.toPrecision(12))),
  hoursToDecision: fc.double({ min: 0, max: 5000, noNaN: true }),
  manipulationCost: cost,
});

const make = (partial: Partial<ResearchLabel>): ResearchLabel => ({
  datapointId: "d",
  votes: 5,
  majorityShare: 1,
  margin: 1,
  hoursToDecision: 0,
  manipulationCost: { accounts: 3 },
  ...partial,
});

describe("the quality–quantity curve", () => {
  it("runs over thresholds 0 to 1 in steps of 0.05 and keeps every label at 0", () => {
    expect(THRESHOLDS).toHaveLength(21);
    expect(THRESHOLDS[0]).toBe(0);
    expect(THRESHOLDS[20]).toBe(1);
    const curve = qualityQuantityCurve([
      make({ majorityShare: 0.5, margin: 0 }),
      make({ majorityShare: 0.7, margin: 0.4 }),
    ]);
    expect(curve[0]).toEqual({ threshold: 0, byAgreement: 2, byMargin: 2 });
    expect(curve.find((p) => p.threshold === 0.7)).toEqual({ threshold: 0.7, byAgreement: 1, byMargin: 0 });
    expect(curve.find((p) => p.threshold === 0.4)).toEqual({ threshold: 0.4, byAgreement: 2, byMargin: 1 });
    expect(curve[20]).toEqual({ threshold: 1, byAgreement: 0, byMargin: 0 });
  });

  it("is monotone non-increasing in both series", () => {
    fc.assert(
      fc.property(fc.array(label, { maxLength: 60 }), (labels) => {
        const curve = qualityQuantityCurve(labels);
        expect(curve[0]).toMatchObject({ byAgreement: labels.length, byMargin: labels.length });
        for (let i = 1; i < curve.length; i++) {
          expect(curve[i]!.byAgreement).toBeLessThanOrEqual(curve[i - 1]!.byAgreement);
          expect(curve[i]!.byMargin).toBeLessThanOrEqual(curve[i - 1]!.byMargin);
        }
      }),
    );
  });

  it("counts a share that prints as the threshold as reaching it", () => {
    // 0.3 is not exactly 6 / 20 in binary, and 0.1 + 0.2 is not 0.3.
    const curve = qualityQuantityCurve([make({ majorityShare: 0.3, margin: 0.1 + 0.2 })]);
    expect(curve.find((p) => p.threshold === 6 / 20)).toMatchObject({ byAgreement: 1, byMargin: 1 });
  });
});

describe("histograms", () => {
  it("count every label exactly once, in every chart", () => {
    fc.assert(
      fc.property(fc.array(label, { maxLength: 60 }), (labels) => {
        const view = researchView(labels);
        for (const bins of [view.agreement, view.votes, view.time, view.cost]) {
          expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(labels.length);
        }
      }),
    );
  });

  it("put a value on a bin's lower edge in that bin, and the top share in the last", () => {
    const bins = binCounts([0, 0.1, 0.7, 0.95, 1], AGREEMENT_BINS);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 2]);
    expect(bins[9]).toMatchObject({ label: "0.9–1.0", lower: 0.9, upper: null });
    expect(bins[0]).toMatchObject({ lower: 0, upper: 0.1 });
  });

  it("count unreachable labels and weightless newcomers apart from the numeric costs", () => {
    const bins = manipulationCostHistogram([
      make({ manipulationCost: { accounts: 1 } }),
      make({ manipulationCost: { accounts: 4 } }),
      make({ manipulationCost: { accounts: 5000 } }),
      make({ manipulationCost: { accounts: null, reason: "UNREACHABLE" } }),
      make({ manipulationCost: { accounts: null, reason: "NEWCOMERS_WEIGH_NOTHING" } }),
      make({ manipulationCost: { accounts: null, reason: "NEWCOMERS_WEIGH_NOTHING" } }),
    ]);
    const count = (name: string) => bins.find((b) => b.label === name)!.count;
    expect([count("1"), count("3–5"), count("over 1000")]).toEqual([1, 1, 1]);
    expect(bins.filter((b) => b.separate).map((b) => [b.label, b.count])).toEqual([
      ["unreachable", 1],
      ["newcomers weigh nothing", 2],
    ]);
  });

  it("are all zeros, with the same bins, for no labels", () => {
    const view = researchView([]);
    for (const bins of [view.agreement, view.votes, view.time, view.cost]) {
      expect(bins.length).toBeGreaterThan(0);
      expect(bins.every((b) => b.count === 0)).toBe(true);
    }
    expect(view.curve.every((p) => p.byAgreement === 0 && p.byMargin === 0)).toBe(true);
    expect(view.summary).toMatchObject({
      labels: 0,
      majorityShare: { median: null, mean: null },
      hoursToDecision: { median: null, max: null },
    });
  });
});

describe("per-label facts", () => {
  const tally: RecordedTally = {
    options: [
      { option: "A", votes: 4, weight: 4, share: 0.8 },
      { option: "B", votes: 1, weight: 1, share: 0.2 },
    ],
    votes: 5,
    totalWeight: 5,
    effectiveSampleSize: 5,
    margin: { value: 0.6, lower: 0.2, upper: 1, level: 0.95 },
    flipProbability: 0.01,
    manipulationCost: { accounts: 4, option: "B", newAccountWeight: 1, reason: null },
  };

  it("take majority share from vote counts, margin and cost from the tally, and time from the batch's close", () => {
    const closesAt = new Date("2026-11-01T00:00:00Z");
    expect(researchLabel("d1", tally, new Date("2026-11-02T12:00:00Z"), closesAt)).toEqual({
      datapointId: "d1",
      votes: 5,
      majorityShare: 0.8,
      margin: 0.6,
      hoursToDecision: 36,
      manipulationCost: { accounts: 4 },
    });
    expect(hoursToDecision(new Date("2026-10-31T23:59:00Z"), closesAt)).toBe(0);
  });

  it("summarize with medians", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
