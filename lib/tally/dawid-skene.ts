// Voter accuracy by Dawid–Skene EM in its "one-coin" form: voter j picks the true option
// with probability p_j and otherwise one of the other options of the datapoint's option
// space (history.ts: the policy's `optionSpace`) uniformly. One coin per voter (rather
// than a full confusion matrix) because datapoints have different option sets (pairwise
// A/B/TIE, free classification labels), so no matrix is shared.
//
// The true labels are latent. A moderator's final label is strong but fallible evidence:
// it is the E-step's prior (`finalLabelTrust` on it, the rest spread evenly), and the first
// M-step starts from that prior, so initialisation is deterministic. Iteration visits
// datapoints, voters and votes in the normalized (sorted) order of history.ts, and uses only
// + − × ÷, so the fit is the same bits on every machine.
import type { NormalizedHistory } from "./history";

export type ReliabilityParameters = {
  finalLabelTrust: number;
  smoothing: number;
  tolerance: number;
  maxIterations: number;
  /** Accuracies stay inside [bound, 1 − bound] so that no single vote can make a label impossible. */
  accuracyBound: number;
};

export type ReliabilityFit = {
  /** Same order as history.voterIds. */
  accuracy: Float64Array;
  historyVotes: Int32Array;
  iterations: number;
  converged: boolean;
};

export function estimateAccuracies(history: NormalizedHistory, params: ReliabilityParameters): ReliabilityFit {
  const { voteDatapoint, voteVoter, voteOption, datapointStart } = history;
  const voterCount = history.voterIds.length;
  const datapointCount = history.datapointIds.length;

  // Posterior over each datapoint's options, flat. A datapoint whose votes all agree with its
  // label still has a second, unseen option: otherwise agreeing would carry no information.
  const slotStart = new Int32Array(datapointCount + 1);
  for (let d = 0; d < datapointCount; d++) slotStart[d + 1] = slotStart[d]! + Math.max(2, history.options[d]!.length);
  const prior = new Float64Array(slotStart[datapointCount]!);
  for (let d = 0; d < datapointCount; d++) {
    const slots = slotStart[d + 1]! - slotStart[d]!;
    const label = history.options[d]!.indexOf(history.labels[d]!);
    for (let k = 0; k < slots; k++) {
      prior[slotStart[d]! + k] = k === label ? params.finalLabelTrust : (1 - params.finalLabelTrust) / (slots - 1);
    }
  }
  const posterior = Float64Array.from(prior);

  const historyVotes = new Int32Array(voterCount);
  for (let e = 0; e < voteVoter.length; e++) historyVotes[voteVoter[e]!]!++;

  const accuracy = new Float64Array(voterCount).fill(Number.NaN);
  const agreement = new Float64Array(voterCount);
  const scratch = new Float64Array(history.options.reduce((widest, list) => Math.max(widest, list.length), 2));
  let iterations = 0;
  let converged = false;

  while (iterations < params.maxIterations) {
    iterations++;
    // M-step: expected share of each voter's votes that match the true label, smoothed.
    agreement.fill(0);
    for (let e = 0; e < voteVoter.length; e++) {
      agreement[voteVoter[e]!]! += posterior[slotStart[voteDatapoint[e]!]! + voteOption[e]!]!;
    }
    let largestChange = 0;
    for (let j = 0; j < voterCount; j++) {
      const raw = (agreement[j]! + params.smoothing / 2) / (historyVotes[j]! + params.smoothing);
      const next = Math.min(1 - params.accuracyBound, Math.max(params.accuracyBound, raw));
      const change = Number.isNaN(accuracy[j]!) ? Number.POSITIVE_INFINITY : Math.abs(next - accuracy[j]!);
      if (change > largestChange) largestChange = change;
      accuracy[j] = next;
    }
    if (largestChange < params.tolerance) {
      converged = true;
      break;
    }
    // E-step: posterior ∝ prior × Π likelihoods, renormalized after every vote so that a
    // long list of votes cannot underflow to zero.
    for (let d = 0; d < datapointCount; d++) {
      const base = slotStart[d]!;
      const slots = slotStart[d + 1]! - base;
      for (let k = 0; k < slots; k++) scratch[k] = prior[base + k]!;
      for (let e = datapointStart[d]!; e < datapointStart[d + 1]!; e++) {
        const p = accuracy[voteVoter[e]!]!;
        const wrong = (1 - p) / (slots - 1);
        const chosen = voteOption[e]!;
        let sum = 0;
        for (let k = 0; k < slots; k++) {
          const value = scratch[k]! * (k === chosen ? p : wrong);
          scratch[k] = value;
          sum += value;
        }
        for (let k = 0; k < slots; k++) scratch[k] = scratch[k]! / sum;
      }
      for (let k = 0; k < slots; k++) posterior[base + k] = scratch[k]!;
    }
  }
  return { accuracy, historyVotes, iterations, converged };
}

const LN2 = 0.6931471805599453;

/**
 * Natural logarithm from + − × ÷ only. Math.log is not specified to the last bit and does
 * differ between engines and C libraries; this series is, so weights agree everywhere.
 * Accurate to about 1e-16 relative for positive finite x.
 */
export function ln(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`ln of ${x}`);
  let mantissa = x;
  let exponent = 0;
  // Scaling by 2 is exact, so this only moves the exponent.
  while (mantissa > Math.SQRT2) {
    mantissa /= 2;
    exponent++;
  }
  while (mantissa < Math.SQRT1_2) {
    mantissa *= 2;
    exponent--;
  }
  // ln m = 2 artanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172: 20 odd terms reach 1e-30.
  const s = (mantissa - 1) / (mantissa + 1);
  const s2 = s * s;
  let power = s;
  let sum = 0;
  for (let k = 1; k < 40; k += 2) {
    sum += power / k;
    power *= s2;
  }
  return 2 * sum + exponent * LN2;
}

/** Log-odds of an accuracy against a coin flip: 0 at 50%, 2.2 at 90%, 2.94 at 95%. */
export function logOdds(accuracy: number): number {
  return ln(accuracy / (1 - accuracy));
}
