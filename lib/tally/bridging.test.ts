import { describe, expect, it } from "vitest";
import { bridgingFlags } from "./bridging";
import { SeededRandom } from "./seeded-random";

/**
 * Two opinion camps of 20 voters. 20 polarising datapoints (left picks A, right picks B, 10%
 * noise) give the factorisation its axis; 10 consensus datapoints; then the planted cases:
 * "one-sided" (A carried by the left alone against a split right) and "cross-cutting"
 * (A carried by 70% of each camp).
 */
function camps() {
  const random = SeededRandom.fromText("bridging camps");
  const left = Array.from({ length: 20 }, (_, i) => `left-${String(i).padStart(2, "0")}`);
  const right = Array.from({ length: 20 }, (_, i) => `right-${String(i).padStart(2, "0")}`);
  const datapoints: { datapointId: string; options: string[] }[] = [];
  const votes: { datapointId: string; voterId: string; option: string }[] = [];
  const cast = (datapointId: string, voters: string[], pick: (voter: string, i: number) => string) => {
    if (!datapoints.some((d) => d.datapointId === datapointId))
      datapoints.push({ datapointId, options: ["A", "B", "C"] });
    voters.forEach((voterId, i) => votes.push({ datapointId, voterId, option: pick(voterId, i) }));
  };
  const noisy = (option: string) => (random.nextFloat() < 0.1 ? (option === "A" ? "B" : "A") : option);
  for (let d = 0; d < 20; d++) {
    cast(`polar-${d}`, left, () => noisy("A"));
    cast(`polar-${d}`, right, () => noisy("B"));
  }
  for (let d = 0; d < 10; d++) cast(`consensus-${d}`, [...left, ...right], () => noisy("A"));
  cast("one-sided", left, () => "A");
  cast("one-sided", right, (_, i) => (i < 12 ? "B" : "C"));
  cast("cross-cutting", [...left, ...right], (_, i) => (i % 20 < 14 ? "A" : "B"));
  return { datapoints, votes };
}

describe("bridging (advisory)", () => {
  const { datapoints, votes } = camps();
  const report = bridgingFlags(datapoints, votes);
  const flagOf = (id: string) => report.flags.find((flag) => flag.datapointId === id)!;

  it("flags a label carried by one opinion side only", () => {
    const planted = flagOf("one-sided");
    expect(planted.leadingOption).toBe("A");
    expect(planted.supporterSideShare).toBe(1);
    expect(planted.flag).toBe("ONE_SIDED");
  });

  it("does not flag a label supported across the divide, nor consensus labels", () => {
    const crossing = flagOf("cross-cutting");
    expect(crossing.leadingOption).toBe("A");
    expect(crossing.flag).toBeNull();
    expect(crossing.supporterSideShare).toBeLessThan(0.6);
    expect(Math.abs(flagOf("one-sided").factor)).toBeGreaterThan(5 * Math.abs(crossing.factor));
    for (let d = 0; d < 10; d++) expect(flagOf(`consensus-${d}`).flag).toBeNull();
  });

  it("converges deterministically, whatever the order of the votes", () => {
    expect(report.converged).toBe(true);
    const reversed = bridgingFlags([...datapoints].reverse(), [...votes].reverse());
    expect(reversed).toEqual(report);
  });

  it("treats a datapoint without votes as having no leader and no flag", () => {
    const empty = bridgingFlags([{ datapointId: "quiet", options: ["A", "B"] }], []);
    expect(empty.flags).toEqual([
      {
        datapointId: "quiet",
        leadingOption: null,
        intercept: 0,
        factor: 0,
        supporters: 0,
        supporterSideShare: 0,
        flag: null,
      },
    ]);
  });
});
