// How much do voters agree? Krippendorff's α over a batch (units = datapoints, coders =
// voters, any voter may skip any datapoint), and per datapoint the majority share and the
// Shannon entropy of the vote. Advisory statistics for moderators and researchers: a batch
// with low α has labels that reflect the crowd's noise as much as the datapoints.
// API:
//   krippendorffAlpha(units, level) → α or null (no pairable values, or no variation)
//   batchAgreement(votes, level, scale?) → { alpha, pairable, datapoints: per-datapoint stats }
//   voteDistribution(counts) → { majorityShare, entropyBits }
// Formulas: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".
import { ln } from "./dawid-skene";
import { compareIds } from "./history";
import { published } from "./precision";

export type MeasurementLevel = "nominal" | "ordinal" | "interval";
export type CodedValue = string | number;

/**
 * α = 1 − D_o / D_e from the coincidence matrix. `units` lists, per unit, the values its
 * coders assigned (missing values are simply absent); units with fewer than two values are
 * not pairable and drop out. Ordinal and interval levels need numeric values.
 */
export function krippendorffAlpha(units: readonly (readonly CodedValue[])[], level: MeasurementLevel): number | null {
  const pairable = units.filter((unit) => unit.length >= 2);
  const distinct = [...new Set(pairable.flat())];
  if (level !== "nominal" && distinct.some((value) => typeof value !== "number")) {
    throw new TypeError(`${level} α needs numeric values`);
  }
  distinct.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : compareIds(String(a), String(b))));
  const index = new Map(distinct.map((value, i) => [value, i]));
  const size = distinct.length;

  // o[c][k]: pairs of values c, k within units, each unit's pairs weighted 1 / (m_u − 1).
  const coincidence = new Float64Array(size * size);
  for (const unit of pairable) {
    const counts = new Map<number, number>();
    for (const value of unit) counts.set(index.get(value)!, (counts.get(index.get(value)!) ?? 0) + 1);
    const entries = [...counts].sort((a, b) => a[0] - b[0]);
    for (const [c, nc] of entries) {
      for (const [k, nk] of entries) coincidence[c * size + k]! += (nc * (c === k ? nk - 1 : nk)) / (unit.length - 1);
    }
  }
  const marginal = Array.from({ length: size }, (_, c) => {
    let sum = 0;
    for (let k = 0; k < size; k++) sum += coincidence[c * size + k]!;
    return sum;
  });
  const n = marginal.reduce((sum, nc) => sum + nc, 0);
  if (n <= 1) return null;

  const difference = (c: number, k: number): number => {
    if (c === k) return 0;
    if (level === "nominal") return 1;
    if (level === "interval") return ((distinct[c] as number) - (distinct[k] as number)) ** 2;
    // Ordinal: how many pairable values lie between the two ranks, halves of the ends.
    const [low, high] = c < k ? [c, k] : [k, c];
    let between = 0;
    for (let g = low; g <= high; g++) between += marginal[g]!;
    return (between - (marginal[low]! + marginal[high]!) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const delta = difference(c, k);
      observed += coincidence[c * size + k]! * delta;
      expected += marginal[c]! * marginal[k]! * delta;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** Majority share and Shannon entropy (bits) of one datapoint's vote counts. */
export function voteDistribution(counts: readonly number[]): { majorityShare: number; entropyBits: number } {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return { majorityShare: 0, entropyBits: 0 };
  let entropy = 0;
  for (const count of counts) if (count > 0) entropy -= (count / total) * ln(count / total);
  return { majorityShare: published(Math.max(...counts) / total), entropyBits: published(entropy / ln(2)) };
}

export type DatapointAgreement = { datapointId: string; votes: number; majorityShare: number; entropyBits: number };

/**
 * Agreement over a batch's current votes (one per voter and datapoint). Options are nominal
 * by default; for ratings pass `scale` (option → number), or options that are numerals.
 */
export function batchAgreement(
  votes: readonly { datapointId: string; voterId: string; option: string }[],
  level: MeasurementLevel,
  scale?: Readonly<Record<string, number>>,
): { alpha: number | null; pairable: number; datapoints: DatapointAgreement[] } {
  const byDatapoint = new Map<string, Map<string, string>>();
  for (const vote of votes) {
    const voters = byDatapoint.get(vote.datapointId) ?? new Map<string, string>();
    if (voters.has(vote.voterId))
      throw new TypeError(`voter ${vote.voterId} has two votes on datapoint ${vote.datapointId}`);
    byDatapoint.set(vote.datapointId, voters.set(vote.voterId, vote.option));
  }
  const value = (option: string): CodedValue => {
    if (level === "nominal") return option;
    const number = scale ? scale[option] : Number(option);
    if (number === undefined || !Number.isFinite(number))
      throw new TypeError(`option ${option} has no number on the scale`);
    return number;
  };
  const ids = [...byDatapoint.keys()].sort(compareIds);
  const units = ids.map((id) =>
    [...byDatapoint.get(id)!].sort((a, b) => compareIds(a[0], b[0])).map(([, option]) => value(option)),
  );
  const alpha = krippendorffAlpha(units, level);
  const datapoints = ids.map((datapointId) => {
    const counts = new Map<string, number>();
    for (const option of byDatapoint.get(datapointId)!.values()) counts.set(option, (counts.get(option) ?? 0) + 1);
    return {
      datapointId,
      votes: byDatapoint.get(datapointId)!.size,
      ...voteDistribution([...counts.values()].sort((a, b) => a - b)),
    };
  });
  return {
    alpha: alpha === null ? null : published(alpha),
    pairable: units.filter((unit) => unit.length >= 2).flat().length,
    datapoints,
  };
}
