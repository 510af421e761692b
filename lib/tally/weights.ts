// Per-voter weights under a policy document, each with a one-line explanation a voter can
// read on their profile. API:
//   voterWeights(policy, voters, reliability, asOf) → { weights: VoterWeight[], fit }
//   newcomerWeight(policy) → weight of a brand-new, tier-0, no-history, undeclared account
// Weights are published numbers (12 significant digits) and every tally sums exactly these.
import type { PolicyDocument, ReliabilityPolicy, TrustTierPolicy } from "@/lib/voting-policies/schema";
import { estimateAccuracies, logOdds } from "./dawid-skene";
import { compareIds, normalizeHistory, type NormalizedHistory } from "./history";
import { published } from "./precision";
import { rakeVoters } from "./raking";
import type { ReliabilityHistory, VoterFacts } from "./schema";
import { reliabilityModelOf } from "./specification";

export type VoterWeight = { voterId: string; weight: number; explanation: string };

export type Weighting = {
  /** Sorted by voterId. */
  weights: VoterWeight[];
  /** How the iterative fit (Dawid–Skene or raking) ended; null for closed-form policies. */
  fit: { converged: boolean; iterations: number } | null;
};

const DAY_MS = 86_400_000;

/**
 * Weights of `voters` under `policy` at `asOf` (ISO). The reliability policy needs the
 * history of votes on finalized datapoints; the representative policy rakes exactly the
 * voters given, so pass the voters of one datapoint.
 */
export function voterWeights(
  policy: PolicyDocument,
  voters: VoterFacts[],
  reliability: ReliabilityHistory | null,
  asOf: string,
): Weighting {
  const history =
    policy.kind === "reliability"
      ? normalizeHistory(requireHistory(reliability), reliabilityModelOf(policy).optionSpace)
      : null;
  return weighVoters(policy, voters, history, Date.parse(asOf));
}

/** voterWeights for callers that normalized the history once for many tallies. */
export function weighVoters(
  policy: PolicyDocument,
  voters: VoterFacts[],
  history: NormalizedHistory | null,
  asOfMs: number,
): Weighting {
  const sorted = [...voters].sort((a, b) => compareIds(a.voterId, b.voterId));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.voterId === sorted[i - 1]!.voterId) throw new TypeError(`voter ${sorted[i]!.voterId} listed twice`);
  }
  switch (policy.kind) {
    case "equal":
      return {
        weights: sorted.map(({ voterId }) => ({ voterId, weight: 1, explanation: "one voter, one vote" })),
        fit: null,
      };
    case "trust-tier":
      return { weights: sorted.map((voter) => trustTierWeight(policy, voter, asOfMs)), fit: null };
    case "reliability":
      return reliabilityWeights(policy, sorted, requireHistory(history));
    case "representative": {
      const { weights, fit } = rakeVoters(policy, sorted);
      return { weights, fit };
    }
  }
}

/** The weight a sock puppet created right now would carry: the unit of manipulation cost. */
export function newcomerWeight(policy: PolicyDocument): number {
  switch (policy.kind) {
    case "equal":
      return 1;
    case "trust-tier": {
      const ramp = policy.newAccountRamp.days === 0 ? 1 : policy.newAccountRamp.floor;
      return published(Math.min(policy.cap, policy.tierWeights[0]! * ramp));
    }
    case "reliability":
      return published(policy.floorWeight);
    case "representative":
      return published(policy.undeclaredWeight);
  }
}

function requireHistory<T>(history: T | null): T {
  if (history === null)
    throw new TypeError("the reliability policy needs the history of votes on finalized datapoints");
  return history;
}

function trustTierWeight(policy: TrustTierPolicy, voter: VoterFacts, asOfMs: number): VoterWeight {
  const tier = Math.min(voter.verificationTier, policy.tierWeights.length - 1);
  const tierWeight = policy.tierWeights[tier]!;
  const { days, floor } = policy.newAccountRamp;
  // An account "created" after asOf is as new as can be, not negatively old.
  const ageDays = Math.max(0, (asOfMs - Date.parse(voter.createdAt)) / DAY_MS);
  const ramp = days === 0 || ageDays >= days ? 1 : floor + ((1 - floor) * ageDays) / days;
  const weight = published(Math.min(policy.cap, tierWeight * ramp));
  const rampText = ramp === 1 ? "" : ` × ramp ${published(ramp)} (${published(ageDays)} of ${days} days)`;
  const capText = tierWeight * ramp > policy.cap ? `, capped at ${policy.cap}` : "";
  return {
    voterId: voter.voterId,
    weight,
    explanation: `tier ${voter.verificationTier} weight ${tierWeight}${rampText}${capText} = ${weight}`,
  };
}

function reliabilityWeights(policy: ReliabilityPolicy, voters: VoterFacts[], history: NormalizedHistory): Weighting {
  const fit = estimateAccuracies(history, { ...policy, accuracyBound: reliabilityModelOf(policy).accuracyBound });
  const index = new Map(history.voterIds.map((id, j) => [id, j]));
  const floor = published(policy.floorWeight);
  const weights = voters.map(({ voterId }): VoterWeight => {
    const j = index.get(voterId);
    if (j === undefined)
      return { voterId, weight: floor, explanation: `no votes on finalized datapoints: floor weight ${floor}` };
    const accuracy = fit.accuracy[j]!;
    const odds = logOdds(accuracy);
    const weight = published(Math.min(policy.cap, Math.max(policy.floorWeight, odds)));
    return {
      voterId,
      weight,
      explanation: `estimated accuracy ${published(accuracy)} over ${fit.historyVotes[j]} finalized votes: log-odds ${published(odds)}, kept within [${policy.floorWeight}, ${policy.cap}] = ${weight}`,
    };
  });
  return { weights, fit: { converged: fit.converged, iterations: fit.iterations } };
}
