// How sure is the tally? A nonparametric bootstrap over votes: draw the same number of
// (vote, weight) pairs with replacement, re-apply the policy's decision rule, and read
//   - the percentile interval (the policy's `bootstrap.level`, 95% under plenary-tally/1) of
//     the margin of the observed leader over the best other option in each resample
//     (negative when the leader falls behind), and
//   - the flip probability: the share of resamples whose outcome (decided option or
//     reason) differs from the observed one.
// The generator is seeded from the input digest, so this is part of the deterministic
// function of the input: the same votes give the same interval, byte for byte.
import type { Bootstrap, Thresholds } from "@/lib/voting-policies/schema";
import { decideCode } from "./outcome";
import { SeededRandom } from "./seeded-random";

export type Resampling = { lower: number; upper: number; flipProbability: number; resamples: number };

export function resampleVotes(
  voteOption: Int32Array,
  voteWeight: Float64Array,
  optionCount: number,
  thresholds: Thresholds,
  observed: { code: number; leader: number },
  seedDigest: string,
  bootstrap: Bootstrap,
): Resampling {
  const { resamples } = bootstrap;
  const n = voteOption.length;
  if (n === 0) return { lower: 0, upper: 0, flipProbability: 0, resamples: 0 };
  const random = new SeededRandom(seedDigest);
  const sums = new Float64Array(optionCount);
  const margins = new Float64Array(resamples);
  let flips = 0;
  for (let r = 0; r < resamples; r++) {
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
  // `tail` resamples lie below `lower` and `tail` above `upper`.
  const tail = tailResamples(bootstrap);
  return {
    lower: margins[tail]!,
    upper: margins[resamples - tail - 1]!,
    flipProbability: flips / resamples,
    resamples,
  };
}

/**
 * Resamples in each tail of the interval: resamples × (1 − level) / 2, which the policy
 * schema holds to a whole number. Rounded once here, so that no floating-point product
 * decides which order statistic is published.
 */
function tailResamples({ resamples, level }: Bootstrap): number {
  return Math.round((resamples * (1 - level)) / 2);
}
