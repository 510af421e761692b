// The tally of a datapoint: a pure function of public facts and a published policy, so that
// anyone can recompute it offline and compare canonical JSON byte for byte. The rules are
// written down in SPEC.md, in the edition the policy names (its `engine` here). API:
//   tallyDatapoint(input: TallyInput) → TallyOutput
//   tallyBatch(input: TallyBatchInput) → TallyOutput[]   (weights and history computed once)
// Both give identical outputs for the same datapoint. What counts:
//   - each voter's latest vote at or before asOf (equal times: the greater option string);
//     a latest vote for an option the datapoint does not offer counts for nothing;
//   - every voter with a vote at or before asOf must be among `voters` (else this throws);
//   - votes and voters are sorted by id inside, so their order in the input does not matter.
//   - in a batch, votes on datapoints that are not listed are ignored.
// inputDigest = SHA-256 of the canonical JSON of the normalized effective input:
//   {engine, datapointId, options, asOf, policyHash, votes: [[voterId, option]…] by voterId,
//    voterFacts: the facts the policy reads ([[voterId, createdAt, tier]…] for trust-tier,
//    [[voterId, strata]…] for representative, else null), history: historyDigest or null}.
// It seeds the bootstrap, and lets a reader check which facts a published tally used.
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { PolicyDocument } from "@/lib/voting-policies/schema";
import { compareIds, historyDigest, normalizeHistory } from "./history";
import { decide, decideCode, manipulationCost, type ManipulationCost, type Outcome, type RuleId } from "./outcome";
import { published } from "./precision";
import { resampleVotes } from "./resampling";
import type { TallyBatchInput, TallyInput, VoterFacts } from "./schema";
import { bootstrapOf, reliabilityModelOf, specificationOf, type Specification } from "./specification";
import { newcomerWeight, weighVoters, type Weighting } from "./weights";

type OptionTally = { option: string; votes: number; weight: number; share: number };

export type TallyOutput = {
  /** The specification (SPEC.md edition) the tally was computed under. */
  engine: Specification;
  datapointId: string;
  policyHash: string;
  policyKind: PolicyDocument["kind"];
  inputDigest: string;
  asOf: string;
  /** In display order. */
  options: OptionTally[];
  /** Counted votes, those among them with positive weight (the quorum's count), and the rest. */
  votes: number;
  votesWithWeight: number;
  ignoredVotes: number;
  totalWeight: number;
  /** Kish: (Σw)² / Σw². */
  effectiveSampleSize: number;
  /** votes / effectiveSampleSize; null without weight. */
  designEffect: number | null;
  outcome: Outcome;
  rule: { id: RuleId; text: string };
  margin: {
    value: number;
    lower: number;
    upper: number;
    level: number;
    method: "bootstrap-percentile";
    resamples: number;
  };
  flipProbability: number;
  manipulationCost: ManipulationCost;
  /** How the policy's iterative weighting ended (Dawid–Skene or raking); null for closed forms. */
  weightingFit: Weighting["fit"];
};

export function tallyDatapoint(input: TallyInput): TallyOutput {
  const { datapointId, options, votes, ...shared } = input;
  return tallyBatch({
    ...shared,
    datapoints: [{ datapointId, options }],
    votes: votes.map((vote) => ({ ...vote, datapointId })),
  })[0]!;
}

export function tallyBatch(input: TallyBatchInput): TallyOutput[] {
  const { policy } = input;
  if (sha256Hex(canonicalJson(policy)) !== input.policyHash) {
    throw new TypeError("policyHash is not the SHA-256 of the policy document's canonical JSON");
  }
  const asOfMs = Date.parse(input.asOf);
  // Voters are addressed by rank in id order from here on: sorting a datapoint's votes is
  // then a numeric sort, and ranks order exactly as the ids do.
  const voters = [...input.voters].sort((a, b) => compareIds(a.voterId, b.voterId));
  const rank = new Map<string, number>();
  voters.forEach((voter, r) => {
    if (rank.has(voter.voterId)) throw new TypeError(`voter ${voter.voterId} listed twice`);
    rank.set(voter.voterId, r);
  });
  let history = null;
  if (policy.kind === "reliability") {
    if (input.reliability === null)
      throw new TypeError("the reliability policy needs the history of votes on finalized datapoints");
    history = normalizeHistory(input.reliability, reliabilityModelOf(policy).optionSpace);
  }
  // The representative policy rakes each datapoint's own voters; the others weigh once.
  const shared = policy.kind === "representative" ? null : weighVoters(policy, voters, history, asOfMs);
  const engine = specificationOf(policy);
  const context: Context = {
    policy,
    engine,
    policyHash: input.policyHash,
    asOf: new Date(asOfMs).toISOString(),
    asOfMs,
    voters,
    historyHash: history ? historyDigest(history, engine) : null,
    shared,
    sharedWeight: shared ? Float64Array.from(shared.weights, ({ weight }) => weight) : null,
    newcomer: newcomerWeight(policy),
  };

  const datapointIndex = new Map<string, number>();
  input.datapoints.forEach(({ datapointId }, d) => {
    if (datapointIndex.has(datapointId)) throw new TypeError(`datapoint ${datapointId} listed twice`);
    datapointIndex.set(datapointId, d);
  });
  const cast = new Int32Array(input.datapoints.length);
  const ballots: Ballot[][] = input.datapoints.map(() => []);
  for (const vote of input.votes) {
    const d = datapointIndex.get(vote.datapointId);
    if (d === undefined) continue;
    cast[d]!++;
    const at = Date.parse(vote.at);
    if (at > asOfMs) continue;
    const r = rank.get(vote.voterId);
    if (r === undefined)
      throw new TypeError(`no facts for voter ${vote.voterId}, who voted on datapoint ${vote.datapointId}`);
    ballots[d]!.push({ rank: r, at, option: vote.option });
  }
  return input.datapoints.map(({ datapointId, options }, d) =>
    tallyOne(context, datapointId, options, latestBallots(ballots[d]!, options), cast[d]!),
  );
}

type Ballot = { rank: number; at: number; option: string };

type Context = {
  policy: PolicyDocument;
  engine: Specification;
  policyHash: string;
  asOf: string;
  asOfMs: number;
  /** Sorted by voterId; index = rank. */
  voters: VoterFacts[];
  historyHash: string | null;
  shared: Weighting | null;
  sharedWeight: Float64Array | null;
  newcomer: number;
};

/** Each voter's latest ballot, in rank order, keeping only options the datapoint offers. */
function latestBallots(ballots: Ballot[], options: string[]): Ballot[] {
  ballots.sort((a, b) => a.rank - b.rank || a.at - b.at || compareIds(a.option, b.option));
  return ballots.filter(
    (ballot, i) =>
      (i + 1 === ballots.length || ballots[i + 1]!.rank !== ballot.rank) && options.includes(ballot.option),
  );
}

function tallyOne(
  context: Context,
  datapointId: string,
  options: string[],
  ballots: Ballot[],
  cast: number,
): TallyOutput {
  const { policy } = context;
  const n = ballots.length;
  const voters = ballots.map(({ rank }) => context.voters[rank]!);
  const weighting = context.shared ?? weighVoters(policy, voters, null, context.asOfMs);
  const voteOption = new Int32Array(n);
  const voteWeight = new Float64Array(n);
  const counts = new Array<number>(options.length).fill(0);
  const sums = new Float64Array(options.length);
  let votesWithWeight = 0;
  let sumOfSquares = 0;
  for (let v = 0; v < n; v++) {
    const option = options.indexOf(ballots[v]!.option);
    // Raked weights come back in the order of `voters`, which is rank order too.
    const weight = context.sharedWeight ? context.sharedWeight[ballots[v]!.rank]! : weighting.weights[v]!.weight;
    voteOption[v] = option;
    voteWeight[v] = weight;
    counts[option]!++;
    sums[option]! += weight;
    if (weight > 0) votesWithWeight++;
    sumOfSquares += weight * weight;
  }

  const inputDigest = sha256Hex(
    canonicalJson({
      engine: context.engine,
      datapointId,
      options,
      asOf: context.asOf,
      policyHash: context.policyHash,
      votes: voters.map((voter, v) => [voter.voterId, options[voteOption[v]!]!]),
      voterFacts: factsRead(policy, voters),
      history: context.historyHash,
    }),
  );
  const decision = decide(options, sums, votesWithWeight, policy);
  const { total, leader, margin } = decision.standing;
  const code = decideCode(sums, votesWithWeight, policy);
  const bootstrap = bootstrapOf(policy);
  const spread = resampleVotes(
    voteOption,
    voteWeight,
    options.length,
    policy,
    { code, leader },
    inputDigest,
    bootstrap,
  );
  const effectiveSampleSize = sumOfSquares > 0 ? (total * total) / sumOfSquares : 0;

  return {
    engine: context.engine,
    datapointId,
    policyHash: context.policyHash,
    policyKind: policy.kind,
    inputDigest,
    asOf: context.asOf,
    options: options.map((option, i) => ({
      option,
      votes: counts[i]!,
      weight: published(sums[i]!),
      share: total > 0 ? published(sums[i]! / total) : 0,
    })),
    votes: n,
    votesWithWeight,
    ignoredVotes: cast - n,
    totalWeight: published(total),
    effectiveSampleSize: published(effectiveSampleSize),
    designEffect: effectiveSampleSize > 0 ? published(n / effectiveSampleSize) : null,
    outcome: decision.outcome,
    rule: decision.rule,
    margin: {
      value: published(margin),
      lower: published(spread.lower),
      upper: published(spread.upper),
      level: bootstrap.level,
      method: "bootstrap-percentile",
      resamples: spread.resamples,
    },
    flipProbability: published(spread.flipProbability),
    manipulationCost: manipulationCost(options, sums, votesWithWeight, policy, context.newcomer),
    weightingFit: weighting.fit,
  };
}

/** Exactly the voter facts the policy's weights depend on, for the input digest. */
function factsRead(policy: PolicyDocument, voters: VoterFacts[]): unknown {
  switch (policy.kind) {
    case "trust-tier":
      return voters.map((voter) => [
        voter.voterId,
        new Date(Date.parse(voter.createdAt)).toISOString(),
        voter.verificationTier,
      ]);
    case "representative":
      return voters.map((voter) => [voter.voterId, voter.strata]);
    default:
      return null;
  }
}
