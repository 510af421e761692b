// Unweighted counts per option: the simplest tally, shown to voters once they may see it.
// Pure: no I/O, reused offline.
type OptionCount = { option: string; count: number; share: number };
export type Counts = { total: number; options: OptionCount[] };

/** Shares from per-option counts; options outside `optionIds` are ignored. */
export function summarizeCounts(optionIds: string[], counts: ReadonlyMap<string, number>): Counts {
  const total = optionIds.reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
  return {
    total,
    options: optionIds.map((option) => {
      const count = counts.get(option) ?? 0;
      return { option, count, share: total ? count / total : 0 };
    }),
  };
}

export function countVotes(optionIds: string[], votes: { option: string }[]): Counts {
  const counts = new Map<string, number>();
  for (const vote of votes) counts.set(vote.option, (counts.get(vote.option) ?? 0) + 1);
  return summarizeCounts(optionIds, counts);
}
