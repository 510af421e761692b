// Which datapoints a release's filters select, decided from the log alone: the same rules as
// the export's SQL (lib/exports/selection-sql.ts), applied to the replayed facts. Pure.
import { decisionTimeRange, type ExportFilters } from "@/lib/exports/schema";
import type { BatchFacts, DatapointFacts, DecisionFacts } from "./facts";

export type StatusAtCut = "DRAFT" | "OPEN" | "CLOSED" | "FINALIZED" | "REOPENED";

/** selection-sql.ts: statusAtCut, from the datapoint's and its batch's events up to the cut. */
export function statusAtCut(datapoint: DatapointFacts, batch: BatchFacts | undefined, standing: boolean): StatusAtCut {
  if (standing) return "FINALIZED";
  if (datapoint.reopened) return "REOPENED";
  const initial = datapoint.initialStatus ?? statusAtPublication(datapoint.at, batch);
  const later = (seqs: number[] | undefined) => (seqs ?? []).filter((seq) => seq > datapoint.seq);
  const opened = later(batch?.opened);
  const closed = later(batch?.closed);
  const firstOpened = opened.length ? Math.min(...opened) : null;
  const lastClosed = closed.length ? Math.max(...closed) : null;
  if (initial === "DRAFT") {
    if (firstOpened === null) return "DRAFT";
    return lastClosed !== null && lastClosed > firstOpened ? "CLOSED" : "OPEN";
  }
  if (initial === "OPEN") return lastClosed !== null ? "CLOSED" : "OPEN";
  return "CLOSED";
}

/** For events older than `initialStatus`: the batch's schedule at the event's time. */
function statusAtPublication(at: string, batch: BatchFacts | undefined): "DRAFT" | "OPEN" | "CLOSED" {
  const when = Date.parse(at);
  if (batch && when < Date.parse(batch.opensAt)) return "DRAFT";
  if (batch && when < Date.parse(batch.closesAt)) return "OPEN";
  return "CLOSED";
}

export type Candidate = {
  datapoint: DatapointFacts;
  batch: BatchFacts | undefined;
  status: StatusAtCut;
  /** The decision standing as its final label at the cut, if any. */
  standing: DecisionFacts | null;
  /** That decision's tally text, when a record holds one that hashes to its event's tallyHash. */
  tally: string | null;
};

/** selection-sql.ts: selectionWhere, for one datapoint. */
export function selects(filters: ExportFilters, candidate: Candidate): boolean {
  const { status, standing, tally, batch } = candidate;
  if (status === "DRAFT") return false;
  if (filters.batch && batch?.slug !== filters.batch) return false;
  if (filters.status !== "any" && status !== filters.status) return false;
  const { from, before } = decisionTimeRange(filters);
  const decidedAt = standing?.finalized ? Date.parse(standing.finalized.at) : null;
  if (from && (decidedAt === null || decidedAt < from.getTime())) return false;
  if (before && (decidedAt === null || decidedAt >= before.getTime())) return false;
  if (filters.minMargin !== undefined || filters.minAgreement !== undefined) {
    const numbers = tally ? tallyNumbers(tally) : null;
    if (!numbers) return false;
    if (filters.minMargin !== undefined && !(numbers.margin >= filters.minMargin)) return false;
    if (
      filters.minAgreement !== undefined &&
      !(numbers.agreement !== null && numbers.agreement >= filters.minAgreement)
    )
      return false;
  }
  return true;
}

/**
 * The margin and the agreement the SQL compares: the majority's share of the counted votes,
 * rounded to 12 decimal places (as `round(…::numeric, 12)`), null with no votes.
 */
function tallyNumbers(tally: string): { margin: number; agreement: number | null } | null {
  try {
    const parsed = JSON.parse(tally) as { margin?: { value?: unknown }; options?: { votes?: unknown }[] };
    const margin = Number(parsed.margin?.value);
    const votes = (parsed.options ?? []).map((o) => Number(o.votes));
    const total = votes.reduce((sum, n) => sum + n, 0);
    return { margin, agreement: total > 0 ? Number((Math.max(...votes) / total).toFixed(12)) : null };
  } catch {
    return null;
  }
}
