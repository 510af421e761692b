// The five research charts as words and tables: each chart's title, a description that
// states what the picture shows (for screen readers and for anyone who skips the picture),
// and its data as a table — the same table feeds the page's data-table alternative and the
// CSV download, so the two can never disagree.
import { stringify } from "csv-stringify/sync";
import type { Bin, ResearchView } from "./rules";
import type { ChartId } from "./schema";

type ChartColumn = { key: string; header: string | null };
/** Columns whose header is null are in the CSV only (bin edges, for reanalysis). */
export type ChartTable = { columns: ChartColumn[]; rows: Record<string, string | number>[] };

type ChartDefinition = {
  title: string;
  description: (view: ResearchView) => string;
  table: (view: ResearchView) => ChartTable;
};

export function formatNumber(value: number | null, digits = 2): string {
  return value === null ? "n/a" : String(Number(value.toFixed(digits)));
}

export function formatHours(hours: number | null): string {
  if (hours === null) return "n/a";
  if (hours < 1 / 60) return "under 1 min";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${formatNumber(hours, 1)} h`;
  return `${formatNumber(hours / 24, 1)} days`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function histogramTable(bins: Bin[], unit: string): ChartTable {
  return {
    columns: [
      { key: "bin", header: "Bin" },
      { key: `lower_${unit}`, header: null },
      { key: `upper_${unit}`, header: null },
      { key: "labels", header: "Finalized labels" },
    ],
    rows: bins.map((b) => ({
      bin: b.label,
      [`lower_${unit}`]: b.lower ?? "",
      [`upper_${unit}`]: b.upper ?? "",
      labels: b.count,
    })),
  };
}

function fullestBin(bins: Bin[]): string {
  const top = bins.reduce((best, bin) => (bin.count > best.count ? bin : best), bins[0]!);
  return top.count === 0
    ? "No bin has a label yet."
    : `The fullest bin is ${top.label}, with ${plural(top.count, "label", "labels")}.`;
}

export const CHARTS: Record<ChartId, ChartDefinition> = {
  "quality-quantity": {
    title: "Quality–quantity curve",
    description: ({ curve, summary }) => {
      const at = (t: number) => curve.find((p) => Math.abs(p.threshold - t) < 1e-9)!;
      const n = summary.labels;
      return (
        `The number of this batch's finalized labels (${n} in all) that remain when only labels reaching a minimum threshold ` +
        `are kept, for thresholds from 0 to 1 in steps of 0.05. One line keeps labels by majority share (the share of votes ` +
        `for the most-chosen option), the other by margin (the leading option's lead over the runner-up in weighted share). ` +
        `At a minimum majority share of 0.8, ${at(0.8).byAgreement} of ${n} remain; at a minimum margin of 0.5, ${at(0.5).byMargin} of ${n} remain.`
      );
    },
    table: ({ curve }) => ({
      columns: [
        { key: "threshold", header: "Minimum threshold" },
        { key: "labels_kept_by_majority_share", header: "Labels kept, by majority share" },
        { key: "labels_kept_by_margin", header: "Labels kept, by margin" },
      ],
      rows: curve.map((p) => ({
        threshold: p.threshold,
        labels_kept_by_majority_share: p.byAgreement,
        labels_kept_by_margin: p.byMargin,
      })),
    }),
  },
  agreement: {
    title: "Agreement distribution",
    description: ({ agreement, summary }) =>
      `Histogram of the majority share of each finalized label (the share of its votes for the most-chosen option), in bins of 0.1; ` +
      `each bin includes its lower end and the last includes 1. Median majority share: ${formatNumber(summary.majorityShare.median)}. ${fullestBin(agreement)}`,
    table: ({ agreement }) => histogramTable(agreement, "share"),
  },
  "votes-per-label": {
    title: "Votes per label",
    description: ({ votes, summary }) =>
      `Histogram of the number of votes counted in each finalized label's recorded tally. ` +
      `Median: ${formatNumber(summary.votes.median, 1)} votes; mean: ${formatNumber(summary.votes.mean, 1)}. ${fullestBin(votes)}`,
    table: ({ votes }) => histogramTable(votes, "votes"),
  },
  "time-to-decision": {
    title: "Time to decision",
    description: ({ time, summary }) =>
      `Histogram of the time from the batch's close to each label's final decision (labels re-decided after an appeal count from ` +
      `the same close). Median: ${formatHours(summary.hoursToDecision.median)}; longest: ${formatHours(summary.hoursToDecision.max)}. ${fullestBin(time)}`,
    table: ({ time }) => histogramTable(time, "hours"),
  },
  "manipulation-cost": {
    title: "Manipulation cost",
    description: ({ cost, summary }) => {
      const { median, unreachable, newcomersWeighNothing } = summary.manipulationCost;
      return (
        `Histogram of the fewest brand-new accounts, all voting for one option, that would have changed each label's recorded tally ` +
        `outcome (median: ${median === null ? "n/a" : plural(median, "account", "accounts")}). Counted apart: ` +
        `${plural(unreachable, "label", "labels")} that no number of new accounts could change, and ` +
        `${plural(newcomersWeighNothing, "label", "labels")} under a policy that gives new accounts no weight. ` +
        fullestBin(cost.filter((b) => !b.separate))
      );
    },
    table: ({ cost }) => histogramTable(cost, "accounts"),
  },
};

/** RFC 4180 CSV of a chart's table, with a header row (machine-friendly column keys). */
export function chartCsv(id: ChartId, view: ResearchView): string {
  const { columns, rows } = CHARTS[id].table(view);
  return stringify(rows, { header: true, columns: columns.map((c) => c.key), record_delimiter: "windows" });
}
