// How sure is the tally? A nonparametric bootstrap over votes: draw the same number of
// (vote, weight) pairs with replacement, re-apply the policy's decision rule, and read
//   - the 95% percentile interval of the margin of the observed leader over the best other
//     option in each resample (negative when the leader falls behind), and
//   - the flip probability: the share of resamples whose outcome (decided option or
//     reason) differs from the observed one.
// The generator is seeded from the input digest, so this is part of the deterministic
// function of the input: the same votes give the same interval, byte for byte.
import type { Thresholds } from "@/lib/policies/schema";
import { decideCode } from "./outcome";
import { SeededRandom } from "./seeded-random";

/** Resamples per tally (a multiple of 40, for exact 2.5% tails): cheap at a million votes. */
export const RESAMPLES = 200;
export const INTERVAL_LEVEL = 0.95;

export type Resampling = { lower: number; upper: number; flipProbability: number; resamples: number };

export function resampleVotes(
  voteOption: Int32Array,
  voteWeight: Float64Array,
  optionCount: number,
  thresholds: Thresholds,
  observed: { code: number; leader: number },
  seedDigest: string,
): Resampling {
  const n = voteOption.length;
  if (n === 0) return { lower: 0, upper: 0, flipProbability: 0, resamples: 0 };
  const random = new SeededRandom(seedDigest);
  const sums = new Float64Array(optionCount);
  const margins = new Float64Array(RESAMPLES);
  let flips = 0;
  for (let r = 0; r < RESAMPLES; r++) {
    sums.fill(0);
    let weighted = 0;
    for (let draw = 0; draw < n; draw++) {
      const v = random.nextIndex(n);
      const weight = voteWeight[v]!;
      sums[voteOption[v]!]! += weight;
      if (weight > 0) weighted++;
    }
    if (decideCode(sums, weighted, thresholds) !== observed.code) flips++;
    let total = 0;
    let bestOther = 0;
    for (let k = 0; k < optionCount; k++) {
      total += sums[k]!;
      if (k !== observed.leader && sums[k]! > bestOther) bestOther = sums[k]!;
    }
    margins[r] = total > 0 ? (sums[observed.leader]! - bestOther) / total : 0;
  }
  margins.sort();
  // 2.5% of the resamples lie below `lower` and 2.5% above `upper` (integer indices, so no
  // floating-point product decides which order statistic is published).
  const tail = RESAMPLES / 40;
  return {
    lower: margins[tail]!,
    upper: margins[RESAMPLES - tail - 1]!,
    flipProbability: flips / RESAMPLES,
    resamples: RESAMPLES,
  };
}
