// Bridging check (advisory, never decides a label): a one-dimensional matrix factorisation
// in the style of Community Notes,
//   rating(voter u, datapoint i) ≈ μ + a_u + b_i + f_u · g_i,
// minimising Σ (rating − prediction)² + λ_i (μ² + Σ a_u² + Σ b_i²) + λ_f (Σ f_u² + Σ g_i²)
// with λ_i = 0.15 > λ_f = 0.03, so agreement that one opinion axis explains goes to the
// factors and only agreement across the axis stays in a datapoint's intercept b_i.
// Ratings: +1 when a voter chose the datapoint's leading option (most raw votes; equal
// counts: the earlier in display order), −1 for any other option.
// Fit: exact coordinate updates (each parameter set to its minimiser given the rest) in id
// order, from voter factors drawn by a PRNG seeded with the digest of the ratings; stops at
// `tolerance` or `maxIterations`. A datapoint is flagged ONE_SIDED when at least
// `oneSidedShare` of its leading option's supporters have factors of one sign and its factor
// effect |g_i| · rms(f) is at least `factorRatio` × |b_i|.
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { compareIds } from "./history";
import { published } from "./precision";
import { SeededRandom } from "./seeded-random";

export type BridgingParameters = {
  interceptLambda: number;
  factorLambda: number;
  tolerance: number;
  maxIterations: number;
  oneSidedShare: number;
  factorRatio: number;
  /** Fewer supporters than this say nothing about sides. */
  minSupporters: number;
};

const BRIDGING_DEFAULTS: BridgingParameters = {
  interceptLambda: 0.15,
  factorLambda: 0.03,
  // Coordinate descent converges linearly and slowly along the valley where a voter factor's
  // common part stands in for datapoint intercepts: 1e-6 takes ~1,600 sweeps on the tests'
  // 40 × 32 data. A sweep costs five passes over the ratings.
  tolerance: 1e-6,
  maxIterations: 5_000,
  oneSidedShare: 0.9,
  factorRatio: 1,
  minSupporters: 3,
};

type BridgingFlag = {
  datapointId: string;
  leadingOption: string | null;
  intercept: number;
  factor: number;
  supporters: number;
  /** Share of the leader's supporters (with a non-zero factor) on the more common side. */
  supporterSideShare: number;
  flag: "ONE_SIDED" | null;
};

export type BridgingReport = { flags: BridgingFlag[]; mean: number; iterations: number; converged: boolean };

type Rating = { voter: number; item: number; value: number };

export function bridgingFlags(
  datapoints: readonly { datapointId: string; options: readonly string[] }[],
  votes: readonly { datapointId: string; voterId: string; option: string }[],
  parameters: BridgingParameters = BRIDGING_DEFAULTS,
): BridgingReport {
  const items = [...datapoints].sort((x, y) => compareIds(x.datapointId, y.datapointId));
  const itemIndex = new Map(items.map((item, i) => [item.datapointId, i]));
  const counted = votes.filter(
    (vote) => itemIndex.has(vote.datapointId) && items[itemIndex.get(vote.datapointId)!]!.options.includes(vote.option),
  );
  const voterIds = [...new Set(counted.map((vote) => vote.voterId))].sort(compareIds);
  const voterIndex = new Map(voterIds.map((id, u) => [id, u]));

  const counts = items.map(({ options }) => new Array<number>(options.length).fill(0));
  for (const vote of counted) {
    const item = itemIndex.get(vote.datapointId)!;
    counts[item]![items[item]!.options.indexOf(vote.option)]!++;
  }
  const leaders = items.map(({ options }, i) => {
    const best = counts[i]!.indexOf(Math.max(...counts[i]!));
    return counts[i]![best]! > 0 ? options[best]! : null;
  });
  const ratings: Rating[] = counted
    .map((vote) => {
      const item = itemIndex.get(vote.datapointId)!;
      return { voter: voterIndex.get(vote.voterId)!, item, value: vote.option === leaders[item] ? 1 : -1 };
    })
    .sort((x, y) => x.item - y.item || x.voter - y.voter);
  for (let r = 1; r < ratings.length; r++) {
    if (ratings[r]!.item === ratings[r - 1]!.item && ratings[r]!.voter === ratings[r - 1]!.voter) {
      throw new TypeError(
        `voter ${voterIds[ratings[r]!.voter]} has two votes on datapoint ${items[ratings[r]!.item]!.datapointId}`,
      );
    }
  }

  const digest = sha256Hex(
    canonicalJson(ratings.map(({ voter, item, value }) => [items[item]!.datapointId, voterIds[voter], value])),
  );
  const random = new SeededRandom(digest);
  const f = Float64Array.from(voterIds, () => random.nextFloat() * 2 - 1);
  const a = new Float64Array(voterIds.length);
  const g = new Float64Array(items.length);
  const b = new Float64Array(items.length);
  let mu = 0;
  const { interceptLambda: li, factorLambda: lf } = parameters;
  const residual = (r: Rating) => r.value - mu - a[r.voter]! - b[r.item]! - f[r.voter]! * g[r.item]!;

  /** Sets each of `values` to its exact minimiser: Σ x·(residual + current·x) / (Σ x² + λ). */
  const update = (values: Float64Array, key: (r: Rating) => number, slope: (r: Rating) => number, lambda: number) => {
    const numerator = new Float64Array(values.length);
    const denominator = new Float64Array(values.length).fill(lambda);
    for (const r of ratings) {
      const x = slope(r);
      const k = key(r);
      numerator[k]! += x * (residual(r) + values[k]! * x);
      denominator[k]! += x * x;
    }
    let change = 0;
    for (let k = 0; k < values.length; k++) {
      const next = numerator[k]! / denominator[k]!;
      change = Math.max(change, Math.abs(next - values[k]!));
      values[k] = next;
    }
    return change;
  };
  const one = () => 1;
  const muCell = new Float64Array(1);
  let iterations = 0;
  let converged = false;
  while (iterations < parameters.maxIterations && !converged) {
    iterations++;
    muCell[0] = mu;
    let change = update(muCell, () => 0, one, li);
    mu = muCell[0]!;
    change = Math.max(
      change,
      update(a, (r) => r.voter, one, li),
    );
    change = Math.max(
      change,
      update(b, (r) => r.item, one, li),
    );
    // Datapoint factors first: they start at zero, the voter factors at their seeded values.
    change = Math.max(
      change,
      update(
        g,
        (r) => r.item,
        (r) => f[r.voter]!,
        lf,
      ),
    );
    change = Math.max(
      change,
      update(
        f,
        (r) => r.voter,
        (r) => g[r.item]!,
        lf,
      ),
    );
    converged = change < parameters.tolerance;
  }

  const rms = Math.sqrt(f.reduce((sum, x) => sum + x * x, 0) / Math.max(1, f.length));
  const positive = new Int32Array(items.length);
  const negative = new Int32Array(items.length);
  for (const r of ratings) {
    if (r.value !== 1) continue;
    if (f[r.voter]! > 0) positive[r.item]!++;
    else if (f[r.voter]! < 0) negative[r.item]!++;
  }
  const flags = items.map(({ datapointId }, i): BridgingFlag => {
    const supporters = counts[i]![items[i]!.options.indexOf(leaders[i] ?? "")] ?? 0;
    const sided = positive[i]! + negative[i]!;
    const sideShare = sided > 0 ? Math.max(positive[i]!, negative[i]!) / sided : 0;
    const oneSided =
      supporters >= parameters.minSupporters &&
      sideShare >= parameters.oneSidedShare &&
      Math.abs(g[i]!) * rms >= parameters.factorRatio * Math.abs(b[i]!);
    return {
      datapointId,
      leadingOption: leaders[i]!,
      intercept: published(b[i]!),
      factor: published(g[i]!),
      supporters,
      supporterSideShare: published(sideShare),
      flag: oneSided ? "ONE_SIDED" : null,
    };
  });
  return { flags, mean: published(mu), iterations, converged };
}
