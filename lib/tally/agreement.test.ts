import { describe, expect, it } from "vitest";
import { batchAgreement, krippendorffAlpha, voteDistribution } from "./agreement";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
// × 12 units, values 1–5, "." = missing. Published: nominal α = 0.743, ordinal α = 0.815,
// interval α = 0.849.
const observers: (number | null)[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const units = observers[0]!.map((_, u) => observers.map((row) => row[u]!).filter((value) => value !== null));

describe("Krippendorff's α", () => {
  it("reproduces the published worked example at every level", () => {
    expect(krippendorffAlpha(units, "nominal")!.toFixed(3)).toBe("0.743");
    expect(krippendorffAlpha(units, "ordinal")!.toFixed(3)).toBe("0.815");
    expect(krippendorffAlpha(units, "interval")!.toFixed(3)).toBe("0.849");
  });

  it("is 1 for perfect agreement, and undefined without variation or pairable values", () => {
    expect(
      krippendorffAlpha(
        [
          ["a", "a"],
          ["b", "b", "b"],
        ],
        "nominal",
      ),
    ).toBe(1);
    expect(
      krippendorffAlpha(
        [
          ["a", "a"],
          ["a", "a"],
        ],
        "nominal",
      ),
    ).toBeNull();
    expect(krippendorffAlpha([["a"], ["b"]], "nominal")).toBeNull();
  });

  it("refuses ordinal or interval α over non-numeric values", () => {
    expect(() => krippendorffAlpha([["a", "b"]], "interval")).toThrow(TypeError);
  });

  it("computes a batch's α from votes, with voters as coders and missing votes allowed", () => {
    const votes = units.flatMap((values, u) =>
      values.map((value, c) => ({
        datapointId: `unit-${String(u).padStart(2, "0")}`,
        voterId: `observer-${c}`,
        option: String(value),
      })),
    );
    const nominal = batchAgreement(votes, "nominal");
    expect(nominal.alpha!.toFixed(3)).toBe("0.743");
    expect(nominal.pairable).toBe(40);
    const labels = { "1": 1, "2": 2, "3": 3, "4": 4, "5": 5 };
    expect(batchAgreement(votes, "interval", labels).alpha!.toFixed(3)).toBe("0.849");
    expect(batchAgreement([...votes].reverse(), "ordinal").alpha).toBe(batchAgreement(votes, "ordinal").alpha);
    // Unit 6 (index 5): four observers, four different values.
    expect(nominal.datapoints.find((d) => d.datapointId === "unit-05")).toEqual({
      datapointId: "unit-05",
      votes: 4,
      majorityShare: 0.25,
      entropyBits: 2,
    });
  });
});

describe("per-datapoint vote distribution", () => {
  it("gives the majority share and the Shannon entropy in bits", () => {
    expect(voteDistribution([5, 5])).toEqual({ majorityShare: 0.5, entropyBits: 1 });
    expect(voteDistribution([10, 0, 0])).toEqual({ majorityShare: 1, entropyBits: 0 });
    expect(voteDistribution([1, 1, 1, 1])).toEqual({ majorityShare: 0.25, entropyBits: 2 });
    expect(voteDistribution([])).toEqual({ majorityShare: 0, entropyBits: 0 });
    expect(voteDistribution([3, 1]).entropyBits).toBeCloseTo(0.811278124459, 11);
  });
});
