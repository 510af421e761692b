// The reliability policy's evidence, put in one canonical order: finalized datapoints and
// voters sorted by id, votes sorted by (datapoint, voter). Both the Dawid–Skene fit and the
// digest that seeds every tally read this form, so neither depends on the order in which a
// database or a download happened to list the rows.
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { ReliabilityHistory } from "./schema";
import type { ReliabilityModel, Specification } from "./specification";

export type NormalizedHistory = {
  /** Finalized datapoints, sorted by id. */
  datapointIds: string[];
  /** The final label of each datapoint. */
  labels: string[];
  /**
   * Per datapoint, sorted: the option space the model fits over (SPEC.md, "Option space").
   * "observed": the final label and the options voted; "offered": the datapoint's published
   * options and the final label.
   */
  options: string[][];
  /** Voters with at least one vote on a finalized datapoint, sorted by id. */
  voterIds: string[];
  /** Votes sorted by (datapoint, voter): datapoint index, voter index, option index. */
  voteDatapoint: Int32Array;
  voteVoter: Int32Array;
  voteOption: Int32Array;
  /** Votes of datapoint i are at [datapointStart[i], datapointStart[i + 1]). */
  datapointStart: Int32Array;
};

/** JavaScript's default string order (UTF-16 code units): what every sort in the engine uses. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeHistory(
  history: ReliabilityHistory,
  optionSpace: ReliabilityModel["optionSpace"],
): NormalizedHistory {
  const finalLabel = new Map<string, string>();
  const offered = new Map<string, string[]>();
  for (const { datapointId, label, options } of history.finalized) {
    const known = finalLabel.get(datapointId);
    if (known !== undefined && known !== label) throw new TypeError(`datapoint ${datapointId} has two final labels`);
    finalLabel.set(datapointId, label);
    if (options) offered.set(datapointId, options);
  }
  const datapointIds = [...finalLabel.keys()].sort(compareIds);
  const datapointIndex = new Map(datapointIds.map((id, i) => [id, i]));
  const labels = datapointIds.map((id) => finalLabel.get(id)!);
  const optionSets = datapointIds.map((id, d) => {
    if (optionSpace === "observed") return new Set([labels[d]!]);
    const options = offered.get(id);
    if (!options) throw new TypeError(`the offered option space needs the options of finalized datapoint ${id}`);
    return new Set([...options, labels[d]!]);
  });

  // Votes on datapoints without a final label are not evidence of anyone's accuracy, nor
  // (in the offered space) votes for an option the datapoint does not offer, which its
  // tally did not count either.
  const evidence = history.votes.filter((vote) => {
    const d = datapointIndex.get(vote.datapointId);
    return d !== undefined && (optionSpace === "observed" || optionSets[d]!.has(vote.option));
  });
  const voterSet = new Set<string>();
  for (const vote of evidence) {
    voterSet.add(vote.voterId);
    optionSets[datapointIndex.get(vote.datapointId)!]!.add(vote.option);
  }
  const voterIds = [...voterSet].sort(compareIds);
  const voterIndex = new Map(voterIds.map((id, i) => [id, i]));
  const options = optionSets.map((set) => [...set].sort(compareIds));
  const optionIndex = options.map((list) => new Map(list.map((option, i) => [option, i])));

  // One numeric key per vote, sorted natively: far faster than comparing strings, and exact
  // while datapoints × voters × options stays below 2^53.
  const width = options.reduce((widest, list) => Math.max(widest, list.length), 1);
  const voters = Math.max(1, voterIds.length);
  if (datapointIds.length * voters * width >= Number.MAX_SAFE_INTEGER)
    throw new RangeError("history too large to index");
  const keys = new Float64Array(evidence.length);
  evidence.forEach((vote, e) => {
    const d = datapointIndex.get(vote.datapointId)!;
    keys[e] = (d * voters + voterIndex.get(vote.voterId)!) * width + optionIndex[d]!.get(vote.option)!;
  });
  keys.sort();

  const voteDatapoint = new Int32Array(keys.length);
  const voteVoter = new Int32Array(keys.length);
  const voteOption = new Int32Array(keys.length);
  const datapointStart = new Int32Array(datapointIds.length + 1);
  for (let e = 0; e < keys.length; e++) {
    const key = keys[e]!;
    const option = key % width;
    const pair = (key - option) / width;
    const voter = pair % voters;
    const datapoint = (pair - voter) / voters;
    if (e > 0 && voteDatapoint[e - 1] === datapoint && voteVoter[e - 1] === voter) {
      throw new TypeError(`voter ${voterIds[voter]} has two votes on datapoint ${datapointIds[datapoint]}`);
    }
    voteDatapoint[e] = datapoint;
    voteVoter[e] = voter;
    voteOption[e] = option;
    datapointStart[datapoint + 1]!++;
  }
  for (let d = 0; d < datapointIds.length; d++) datapointStart[d + 1]! += datapointStart[d]!;
  return { datapointIds, labels, options, voterIds, voteDatapoint, voteVoter, voteOption, datapointStart };
}

/**
 * SHA-256 of the canonical JSON of the evidence, in normalized order:
 * `{"finalized":[[datapointId,label],…],"votes":[[datapointId,voterId,option],…]}`; from
 * plenary-tally/2 on, each finalized entry also holds its option space,
 * `[datapointId,label,[option,…]]`, since the fit depends on it.
 * Every tally under the reliability policy carries it, so the whole history is hashed once
 * per batch rather than once per datapoint.
 */
export function historyDigest(history: NormalizedHistory, specification: Specification): string {
  const votes: [string, string, string][] = new Array(history.voteDatapoint.length);
  for (let e = 0; e < votes.length; e++) {
    const d = history.voteDatapoint[e]!;
    votes[e] = [
      history.datapointIds[d]!,
      history.voterIds[history.voteVoter[e]!]!,
      history.options[d]![history.voteOption[e]!]!,
    ];
  }
  const finalized = history.datapointIds.map((id, d) =>
    specification === "plenary-tally/1" ? [id, history.labels[d]!] : [id, history.labels[d]!, history.options[d]!],
  );
  return sha256Hex(canonicalJson({ finalized, votes }));
}
