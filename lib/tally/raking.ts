// Raking (iterative proportional fitting): declared voters' weights are scaled one
// dimension at a time until, for every dimension, each stratum's share of the weight matches
// the policy's target, then trimmed to the cap; repeated until the shares stay within the
// tolerance. Only the coarse codes voters chose to declare are used. A voter counts as
// declared only with a target code for every dimension: half a declaration cannot be raked
// without inventing the missing half.
//
// The cap is "no declared voter weighs more than cap × the declared voters' mean". Scaling
// keeps that mean at 1, but clipping at `cap` alone (plenary-tally/1) lowers the mean, so a
// clipped weight ends above cap × mean. From plenary-tally/2 on, each pass ends by trimming
// and redistributing (trimToCap), which holds the mean at 1 and the largest weight at cap × 1.
import { published } from "./precision";
import { compareIds } from "./history";
import type { RepresentativePolicy } from "@/lib/voting-policies/schema";
import type { VoterFacts } from "./schema";
import { capsRelativeToMean } from "./specification";
import type { VoterWeight, Weighting } from "./weights";

export type RakingReport = {
  declared: number;
  /** Largest |achieved share − target share| over all strata after the last iteration. */
  largestGap: number;
};

/** `voters` sorted by id, as weighVoters passes them: the weight sums run in that order. */
export function rakeVoters(policy: RepresentativePolicy, voters: VoterFacts[]): Weighting & { raking: RakingReport } {
  const dimensions = Object.keys(policy.targets).sort(compareIds);
  const codes = dimensions.map((dimension) => Object.keys(policy.targets[dimension]!).sort(compareIds));
  const isDeclared = (voter: VoterFacts) =>
    voter.strata !== null &&
    dimensions.every((dimension) => Object.hasOwn(policy.targets[dimension]!, voter.strata![dimension] ?? ""));
  const declared = voters.filter(isDeclared);
  const n = declared.length;

  // cell[d][v] = index of voter v's code in dimension d.
  const cell = dimensions.map((dimension, d) => {
    const index = new Map(codes[d]!.map((code, c) => [code, c]));
    return Int32Array.from(declared, (voter) => index.get(voter.strata![dimension]!)!);
  });
  // A target stratum nobody here declared cannot be filled: the present strata share its
  // target in proportion, so raking still converges (the gap is reported, not hidden).
  const target = dimensions.map((dimension, d) => {
    const present = new Array<boolean>(codes[d]!.length).fill(false);
    for (const c of cell[d]!) present[c] = true;
    const raw = codes[d]!.map((code, c) => (present[c] ? policy.targets[dimension]![code]! : 0));
    const sum = raw.reduce((total, share) => total + share, 0);
    return raw.map((share) => (sum > 0 ? share / sum : 0));
  });

  const weight = new Float64Array(n).fill(1);
  const shares = (d: number) => {
    const totals = new Float64Array(codes[d]!.length);
    let all = 0;
    for (let v = 0; v < n; v++) {
      totals[cell[d]![v]!]! += weight[v]!;
      all += weight[v]!;
    }
    return { totals, all };
  };
  const relative = capsRelativeToMean(policy);
  let iterations = 0;
  let largestGap = n > 0 ? Number.POSITIVE_INFINITY : 0;
  while (n > 0 && iterations < policy.maxIterations && largestGap > policy.tolerance) {
    iterations++;
    for (let d = 0; d < dimensions.length; d++) {
      const { totals } = shares(d);
      // Scaling to target × n keeps the mean raked weight at 1, the undeclared voters' scale.
      const factor = target[d]!.map((share, c) => (totals[c]! > 0 ? (share * n) / totals[c]! : 1));
      for (let v = 0; v < n; v++) weight[v] = weight[v]! * factor[cell[d]![v]!]!;
    }
    if (relative) trimToCap(weight, policy.cap);
    else for (let v = 0; v < n; v++) if (weight[v]! > policy.cap) weight[v] = policy.cap;
    largestGap = 0;
    for (let d = 0; d < dimensions.length; d++) {
      const { totals, all } = shares(d);
      target[d]!.forEach((share, c) => {
        if (totals[c]! > 0 || share > 0) largestGap = Math.max(largestGap, Math.abs(totals[c]! / all - share));
      });
    }
  }

  const raked = new Map<string, number>(declared.map((voter, v) => [voter.voterId, published(weight[v]!)]));
  const weights: VoterWeight[] = voters.map((voter) => {
    const value = raked.get(voter.voterId);
    if (value === undefined) {
      return {
        voterId: voter.voterId,
        weight: published(policy.undeclaredWeight),
        explanation: `no declared stratum for every one of ${dimensions.join(", ")}: undeclared weight ${published(policy.undeclaredWeight)}`,
      };
    }
    const stratum = dimensions.map((dimension) => `${dimension}=${voter.strata![dimension]}`).join(", ");
    const capped =
      value < policy.cap
        ? ""
        : relative
          ? ` (capped at ${policy.cap} × the declared voters' mean weight of 1)`
          : ` (capped at ${policy.cap})`;
    return {
      voterId: voter.voterId,
      weight: value,
      explanation: `raked from ${stratum} among ${n} declared voters: ${value}${capped}`,
    };
  });
  return {
    weights,
    fit: n > 0 ? { converged: largestGap <= policy.tolerance, iterations } : null,
    raking: { declared: n, largestGap: published(largestGap) },
  };
}

/**
 * Trim and redistribute, in place: the weights w = min(cap, λ·u) whose mean is exactly 1,
 * for positive u and cap ≥ 1. Voters are ranked by weight, largest first (equal weights in
 * voter order); with the first k ranked held at cap, the rest share n − k·cap in proportion,
 * λ = (n − k·cap) / R_k where R_k sums the rest from the smallest weight up. The least k
 * whose largest remaining weight stays within the cap after scaling is the solution: no
 * iteration to a fixed point, and no dependence on a stopping rule.
 */
export function trimToCap(weight: Float64Array, cap: number): void {
  const n = weight.length;
  const rank = Array.from(weight.keys()).sort((a, b) => weight[b]! - weight[a]! || a - b);
  const rest = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) rest[k] = rest[k + 1]! + weight[rank[k]!]!;
  for (let k = 0; k < n; k++) {
    const scale = (n - k * cap) / rest[k]!;
    if (scale * weight[rank[k]!]! <= cap) {
      for (let i = 0; i < n; i++) weight[rank[i]!] = i < k ? cap : scale * weight[rank[i]!]!;
      return;
    }
  }
  // Only when cap × n does not exceed n by a rounding error, i.e. cap = 1: all weigh the mean.
  weight.fill(cap);
}
