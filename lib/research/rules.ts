// The research page's arithmetic, pure so that a researcher can rerun it on the downloaded
// decisions: per-label facts from each recorded tally, the quality–quantity curve, and
// histograms with fixed bins (fixed so two batches' charts can be compared side by side).
import { voteDistribution } from "@/lib/tally/agreement";
import type { RecordedTally } from "./schema";

/** One finalized label, reduced to the numbers the charts plot. */
export type ResearchLabel = {
  datapointId: string;
  /** Votes counted in the recorded tally. */
  votes: number;
  /** Share of the counted votes (not weight) that went to the most-chosen option. */
  majorityShare: number;
  /** The leader's lead over the runner-up in weighted share, as the policy measured it. */
  margin: number;
  /** From the batch's close to the decision; see hoursToDecision. */
  hoursToDecision: number;
  manipulationCost: { accounts: number } | { accounts: null; reason: "UNREACHABLE" | "NEWCOMERS_WEIGH_NOTHING" };
};

const HOUR_MS = 3_600_000;

/**
 * Time to decision is measured from the batch's close, not from the datapoint's
 * publication: every label in a batch is published at import and could not be decided
 * before voting closed, so the close is the moment moderators could start. An early close
 * moves closesAt itself (lib/batches/lifecycle), and a label re-decided after an appeal still
 * counts from the batch's close, so appeals show up as long times. Clamped at zero against
 * clock skew between the app and the database.
 */
export function hoursToDecision(decidedAt: Date, closesAt: Date): number {
  return Math.max(0, (decidedAt.getTime() - closesAt.getTime()) / HOUR_MS);
}

export function researchLabel(
  datapointId: string,
  tally: RecordedTally,
  decidedAt: Date,
  closesAt: Date,
): ResearchLabel {
  const cost = tally.manipulationCost;
  return {
    datapointId,
    votes: tally.votes,
    majorityShare: voteDistribution(tally.options.map((o) => o.votes)).majorityShare,
    margin: tally.margin.value,
    hoursToDecision: hoursToDecision(decidedAt, closesAt),
    manipulationCost: cost.accounts === null ? { accounts: null, reason: cost.reason } : { accounts: cost.accounts },
  };
}

// Published tally numbers carry 12 significant digits, and thresholds such as 0.7 are not
// exact in binary: a share that prints as the threshold counts as reaching it.
const TOLERANCE = 1e-9;
const atLeast = (value: number, threshold: number) => value >= threshold - TOLERANCE;

/** Thresholds 0, 0.05, …, 1, computed as i/20 so that each is the double nearest its decimal. */
export const THRESHOLDS: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

export type CurvePoint = { threshold: number; byAgreement: number; byMargin: number };

/** Labels kept if only those with majority share (or margin) at least the threshold are kept. */
export function qualityQuantityCurve(labels: readonly ResearchLabel[]): CurvePoint[] {
  return THRESHOLDS.map((threshold) => ({
    threshold,
    byAgreement: labels.filter((l) => atLeast(l.majorityShare, threshold)).length,
    byMargin: labels.filter((l) => atLeast(l.margin, threshold)).length,
  }));
}

/** A bin covers [lower, next bin's lower); the last is open above. */
export type BinEdge = { label: string; lower: number };
export type Bin = { label: string; lower: number | null; upper: number | null; count: number; separate: boolean };

/** Counts each value in exactly one bin; values below the first edge fall in the first bin. */
export function binCounts(values: readonly number[], edges: readonly BinEdge[]): Bin[] {
  const counts = new Array<number>(edges.length).fill(0);
  for (const value of values) {
    let index = 0;
    for (let i = edges.length - 1; i > 0; i--) {
      if (atLeast(value, edges[i]!.lower)) {
        index = i;
        break;
      }
    }
    counts[index]!++;
  }
  return edges.map((edge, i) => ({
    label: edge.label,
    lower: edge.lower,
    upper: edges[i + 1]?.lower ?? null,
    count: counts[i]!,
    separate: false,
  }));
}

const tenths = Array.from({ length: 10 }, (_, i) => ({
  label: `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`,
  lower: i / 10,
}));
export const AGREEMENT_BINS: readonly BinEdge[] = tenths;

const VOTE_BINS: readonly BinEdge[] = [
  ...[0, 1, 2, 3, 4, 5].map((n) => ({ label: String(n), lower: n })),
  { label: "6–10", lower: 6 },
  { label: "11–20", lower: 11 },
  { label: "21–50", lower: 21 },
  { label: "51–100", lower: 51 },
  { label: "over 100", lower: 101 },
];

/** In hours. */
const TIME_BINS: readonly BinEdge[] = [
  { label: "under 1 h", lower: 0 },
  { label: "1–6 h", lower: 1 },
  { label: "6–24 h", lower: 6 },
  { label: "1–2 days", lower: 24 },
  { label: "2–7 days", lower: 48 },
  { label: "7–30 days", lower: 168 },
  { label: "30+ days", lower: 720 },
];

/** In accounts; a cost is at least one account. */
const COST_BINS: readonly BinEdge[] = [
  { label: "1", lower: 1 },
  { label: "2", lower: 2 },
  { label: "3–5", lower: 3 },
  { label: "6–10", lower: 6 },
  { label: "11–20", lower: 11 },
  { label: "21–50", lower: 21 },
  { label: "51–100", lower: 51 },
  { label: "101–1000", lower: 101 },
  { label: "over 1000", lower: 1001 },
];

const UNREACHABLE_LABEL = "unreachable";
const WEIGHTLESS_LABEL = "newcomers weigh nothing";

const agreementHistogram = (labels: readonly ResearchLabel[]) =>
  binCounts(
    labels.map((l) => l.majorityShare),
    AGREEMENT_BINS,
  );
const votesHistogram = (labels: readonly ResearchLabel[]) =>
  binCounts(
    labels.map((l) => l.votes),
    VOTE_BINS,
  );
const timeHistogram = (labels: readonly ResearchLabel[]) =>
  binCounts(
    labels.map((l) => l.hoursToDecision),
    TIME_BINS,
  );

/**
 * Labels that some number of new accounts could flip, binned; then, counted apart, those
 * that no number could (UNREACHABLE) and those where new accounts carry no weight at all
 * under the batch's policy — for those "cost" is not a number, so they get their own bins.
 */
export function manipulationCostHistogram(labels: readonly ResearchLabel[]): Bin[] {
  const reachable: number[] = [];
  let unreachable = 0;
  let weightless = 0;
  for (const { manipulationCost: cost } of labels) {
    if (cost.accounts !== null) reachable.push(cost.accounts);
    else if (cost.reason === "UNREACHABLE") unreachable++;
    else weightless++;
  }
  return [
    ...binCounts(reachable, COST_BINS),
    { label: UNREACHABLE_LABEL, lower: null, upper: null, count: unreachable, separate: true },
    { label: WEIGHTLESS_LABEL, lower: null, upper: null, count: weightless, separate: true },
  ];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export type ResearchSummary = {
  labels: number;
  majorityShare: { mean: number | null; median: number | null };
  margin: { mean: number | null; median: number | null };
  votes: { mean: number | null; median: number | null };
  hoursToDecision: { median: number | null; max: number | null };
  manipulationCost: { median: number | null; reachable: number; unreachable: number; newcomersWeighNothing: number };
};

function summarize(labels: readonly ResearchLabel[]): ResearchSummary {
  const costs = labels.flatMap((l) => (l.manipulationCost.accounts === null ? [] : [l.manipulationCost.accounts]));
  const without = (reason: string) =>
    labels.filter((l) => l.manipulationCost.accounts === null && l.manipulationCost.reason === reason).length;
  const hours = labels.map((l) => l.hoursToDecision);
  return {
    labels: labels.length,
    majorityShare: {
      mean: mean(labels.map((l) => l.majorityShare)),
      median: median(labels.map((l) => l.majorityShare)),
    },
    margin: { mean: mean(labels.map((l) => l.margin)), median: median(labels.map((l) => l.margin)) },
    votes: { mean: mean(labels.map((l) => l.votes)), median: median(labels.map((l) => l.votes)) },
    hoursToDecision: { median: median(hours), max: hours.length ? Math.max(...hours) : null },
    manipulationCost: {
      median: median(costs),
      reachable: costs.length,
      unreachable: without("UNREACHABLE"),
      newcomersWeighNothing: without("NEWCOMERS_WEIGH_NOTHING"),
    },
  };
}

/** Everything the page and the downloads show, computed once from the labels. */
export function researchView(labels: readonly ResearchLabel[]) {
  return {
    curve: qualityQuantityCurve(labels),
    agreement: agreementHistogram(labels),
    votes: votesHistogram(labels),
    time: timeHistogram(labels),
    cost: manipulationCostHistogram(labels),
    summary: summarize(labels),
  };
}
export type ResearchView = ReturnType<typeof researchView>;
