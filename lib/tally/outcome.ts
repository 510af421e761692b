// The decision rule every policy shares, and what it would cost to change its result.
// Rules, in the order they are applied to per-option weighted sums:
//   1. quorum.minVotes  — fewer votes carrying weight than minVotes     → BELOW_QUORUM
//   2. quorum.minWeight — total weight below minWeight (or zero)          → BELOW_QUORUM
//   3. tie              — the two largest sums are equal                  → CONTESTED
//   4. margin.minShare  — leader's share − runner-up's share < minShare   → MARGIN_TOO_SMALL
//   5. plurality        — otherwise the leader is decided.
// Never a random tie-break. Comparisons allow a relative 1e-12 so that a tie (or a margin
// exactly at the threshold) does not hinge on the last bit of a floating-point sum.
import type { Thresholds } from "@/lib/voting-policies/schema";

type ReasonCode = "BELOW_QUORUM" | "MARGIN_TOO_SMALL" | "CONTESTED";
export type Outcome = { kind: "decided"; option: string } | { kind: "no-decision"; reason: ReasonCode };
export type RuleId = "quorum.minVotes" | "quorum.minWeight" | "tie" | "margin.minShare" | "plurality";

/** Compact outcome for hot loops: ≥ 0 is the decided option's index. */
const CODE_BELOW_QUORUM = -1;
export const CODE_CONTESTED = -2;
const CODE_MARGIN_TOO_SMALL = -3;

const RELATIVE_TOLERANCE = 1e-12;

function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - RELATIVE_TOLERANCE * Math.max(Math.abs(value), Math.abs(threshold));
}

type Standing = { leader: number; runnerUp: number; total: number; margin: number };

/** Leader and runner-up by weighted sum; among equal sums the earlier option in display order. */
function standing(sums: ArrayLike<number>): Standing {
  let leader = -1;
  let runnerUp = -1;
  let total = 0;
  for (let i = 0; i < sums.length; i++) {
    const sum = sums[i]!;
    total += sum;
    if (leader < 0 || sum > sums[leader]!) {
      runnerUp = leader;
      leader = i;
    } else if (runnerUp < 0 || sum > sums[runnerUp]!) {
      runnerUp = i;
    }
  }
  const second = runnerUp < 0 ? 0 : sums[runnerUp]!;
  return { leader, runnerUp, total, margin: total > 0 ? (sums[leader]! - second) / total : 0 };
}

/** The outcome as a code; `weightedVotes` counts votes with positive weight. */
export function decideCode(sums: ArrayLike<number>, weightedVotes: number, thresholds: Thresholds): number {
  const { leader, runnerUp, total, margin } = standing(sums);
  if (weightedVotes < thresholds.quorum.minVotes) return CODE_BELOW_QUORUM;
  if (!(total > 0) || !atLeast(total, thresholds.quorum.minWeight)) return CODE_BELOW_QUORUM;
  const second = runnerUp < 0 ? 0 : sums[runnerUp]!;
  if (sums[leader]! - second <= RELATIVE_TOLERANCE * total) return CODE_CONTESTED;
  if (!atLeast(margin, thresholds.margin.minShare)) return CODE_MARGIN_TOO_SMALL;
  return leader;
}

export type Decision = { outcome: Outcome; rule: { id: RuleId; text: string }; standing: Standing };

/** The outcome with the rule that fired, in words a reader can check against the published numbers. */
export function decide(
  options: string[],
  sums: ArrayLike<number>,
  weightedVotes: number,
  thresholds: Thresholds,
): Decision {
  const code = decideCode(sums, weightedVotes, thresholds);
  const now = standing(sums);
  const { minVotes, minWeight } = thresholds.quorum;
  const share = (x: number) => `${Number((x * 100).toPrecision(6))}%`;
  const noDecision = (reason: ReasonCode, id: RuleId, text: string): Decision => ({
    outcome: { kind: "no-decision", reason },
    rule: { id, text },
    standing: now,
  });
  if (code === CODE_BELOW_QUORUM) {
    return weightedVotes < minVotes
      ? noDecision("BELOW_QUORUM", "quorum.minVotes", `${weightedVotes} votes carry weight; the quorum is ${minVotes}`)
      : noDecision(
          "BELOW_QUORUM",
          "quorum.minWeight",
          `total weight ${Number(now.total.toPrecision(12))} is below the quorum of ${minWeight}`,
        );
  }
  if (code === CODE_CONTESTED) {
    const top = sums[now.leader]!;
    const tied = options.filter((_, i) => Math.abs(sums[i]! - top) <= RELATIVE_TOLERANCE * now.total);
    return noDecision("CONTESTED", "tie", `${tied.join(" and ")} are tied for the lead`);
  }
  const lead = `${options[now.leader]} leads ${now.runnerUp < 0 ? "alone" : options[now.runnerUp]} by ${share(now.margin)} of the weight`;
  if (code === CODE_MARGIN_TOO_SMALL) {
    return noDecision(
      "MARGIN_TOO_SMALL",
      "margin.minShare",
      `${lead}; the policy requires ${share(thresholds.margin.minShare)}`,
    );
  }
  return {
    outcome: { kind: "decided", option: options[code]! },
    rule: { id: "plurality", text: `${lead}, at least the required ${share(thresholds.margin.minShare)}` },
    standing: now,
  };
}

export type ManipulationCost =
  | { accounts: number; option: string; newAccountWeight: number; reason: null }
  | { accounts: null; option: null; newAccountWeight: number; reason: "NEWCOMERS_WEIGH_NOTHING" | "UNREACHABLE" };

/** Beyond this many accounts we call the outcome unreachable rather than search on. */
const MAX_ACCOUNTS = 2 ** 40;

/**
 * The fewest brand-new accounts of weight `newcomer`, all voting for one option, that
 * change the outcome: a decided label becomes anything else, or an undecided datapoint
 * becomes decided. (Moving between no-decision reasons is not a change of label.) Votes
 * for one option move the outcome monotonically, so an exponential then binary search on
 * the count finds the least number exactly, whatever rounding the closed form would need.
 */
export function manipulationCost(
  options: string[],
  sums: ArrayLike<number>,
  weightedVotes: number,
  thresholds: Thresholds,
  newcomer: number,
): ManipulationCost {
  if (!(newcomer > 0))
    return { accounts: null, option: null, newAccountWeight: newcomer, reason: "NEWCOMERS_WEIGH_NOTHING" };
  const observed = decideCode(sums, weightedVotes, thresholds);
  const trial = Float64Array.from(sums);
  let best: { accounts: number; option: number } | null = null;
  for (let target = 0; target < options.length; target++) {
    if (target === observed) continue; // more votes for the winner never unseat it
    const changes = (accounts: number) => {
      trial[target] = sums[target]! + accounts * newcomer;
      const code = decideCode(trial, weightedVotes + accounts, thresholds);
      trial[target] = sums[target]!;
      return observed >= 0 ? code !== observed : code >= 0;
    };
    let high = 1;
    while (high <= MAX_ACCOUNTS && !changes(high)) high *= 2;
    if (high > MAX_ACCOUNTS) continue;
    let low = high / 2; // does not change (or is 0.5 when high is 1)
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (changes(middle)) high = middle;
      else low = middle;
    }
    if (best === null || high < best.accounts) best = { accounts: high, option: target };
  }
  if (best === null) return { accounts: null, option: null, newAccountWeight: newcomer, reason: "UNREACHABLE" };
  return { accounts: best.accounts, option: options[best.option]!, newAccountWeight: newcomer, reason: null };
}
