// Every downloadable file, by its name: the same name in /api/exports/<name> and in a
// release directory, produced by the same code, so a release's SHA-256s match downloads.
import { checkpointJson } from "@/lib/checkpoints/api";
import { DATASET_COLUMNS } from "./columns";
import type { CursorFamily } from "./cursor";
import {
  PAGE_ROWS,
  auditJsonlPages,
  checkpointPages,
  datasetKey,
  selectDataset,
  decisionKey,
  selectDecisions,
  pages,
  policiesUsed,
  voteKey,
  selectVotes,
  type PageQuery,
  type Selection,
  type Window,
} from "./data";
import { FILES, csv, jsonl, whole, type Encoded, type FileName } from "./formats";
import { parquet } from "./parquet";
import { decisionRow, voteRow } from "./records";
import { datasetRow, preferencePair } from "./rules";
import type { DecisionStatusFilter } from "./schema";

export { FILES, type FileName };
export { auditLine } from "./audit-lines";
export type TableFileName =
  "decisions.jsonl" | "votes.jsonl" | "dataset.jsonl" | "dataset.preference.jsonl" | "dataset.csv" | "dataset.parquet";

/** audit.jsonl, events fromSeq…toSeq: one chunk a page, its lines written by ./audit-lines. */
export function auditFile(fromSeq: bigint, toSeq: bigint, pageSize?: number): Encoded {
  let rows = 0;
  async function* chunks() {
    for await (const page of auditJsonlPages(fromSeq, toSeq, pageSize)) {
      rows += page.lines;
      yield page.bytes;
    }
  }
  return { chunks: chunks(), rows: () => rows };
}

/** One line per signed checkpoint, in the shape of GET /api/log/checkpoint. */
export function checkpointsFile(fromTreeSize: bigint, toTreeSize: bigint): Encoded {
  return jsonl(checkpointPages(fromTreeSize, toTreeSize), checkpointJson);
}

export const FAMILY: Record<TableFileName, CursorFamily> = {
  "decisions.jsonl": "decisions",
  "votes.jsonl": "votes",
  "dataset.jsonl": "dataset",
  "dataset.preference.jsonl": "preference",
  "dataset.csv": "dataset",
  "dataset.parquet": "dataset",
};

type Source<T> = { query: PageQuery<T>; keyOf: (row: T) => string[]; size: number };

const datasetSource = (selection: Selection, preferenceOnly: boolean) => ({
  query: selectDataset({ ...selection, preferenceOnly }),
  keyOf: datasetKey,
  size: PAGE_ROWS.dataset,
});
const decisionsSource = (selection: Selection, status: DecisionStatusFilter) => ({
  query: selectDecisions(selection, status),
  keyOf: decisionKey,
  size: PAGE_ROWS.decisions,
});
const votesSource = (selection: Selection) => ({
  query: selectVotes(selection),
  keyOf: voteKey,
  size: PAGE_ROWS.votes,
});

const rowsOf = <T>({ query, keyOf, size }: Source<T>, window: Window) => pages(query, keyOf, window, size);

/** A table file of the chosen datapoints, for the rows of `window`. */
export function tableFile(
  name: TableFileName,
  selection: Selection,
  window: Window = {},
  decisionStatus: DecisionStatusFilter = "any",
): Encoded {
  switch (name) {
    case "decisions.jsonl":
      return jsonl(rowsOf(decisionsSource(selection, decisionStatus), window), decisionRow);
    case "votes.jsonl":
      return jsonl(rowsOf(votesSource(selection), window), voteRow);
    case "dataset.jsonl":
      return jsonl(rowsOf(datasetSource(selection, false), window), datasetRow);
    case "dataset.preference.jsonl":
      return jsonl(rowsOf(datasetSource(selection, true), window), (record) => preferencePair(datasetRow(record)));
    case "dataset.csv":
      return csv(rowsOf(datasetSource(selection, false), window), DATASET_COLUMNS, datasetRow);
    case "dataset.parquet":
      return parquet(rowsOf(datasetSource(selection, false), window), DATASET_COLUMNS, datasetRow);
  }
}

/**
 * Where a download of at most `limit` rows after `after` stops: the key of its last row, or
 * null when no more than `limit` rows remain (then the download simply runs to the end).
 */
export function limitEnd(
  name: TableFileName,
  selection: Selection,
  decisionStatus: DecisionStatusFilter,
  after: string[] | undefined,
  limit: number,
) {
  const family = FAMILY[name];
  if (family === "decisions") return keyAt(decisionsSource(selection, decisionStatus), after, limit);
  if (family === "votes") return keyAt(votesSource(selection), after, limit);
  return keyAt(datasetSource(selection, family === "preference"), after, limit);
}

async function keyAt<T>(
  { query, keyOf }: Source<T>,
  after: string[] | undefined,
  limit: number,
): Promise<string[] | null> {
  const [last, next] = await query({ after }, 2, limit - 1);
  return last && next ? keyOf(last) : null;
}

export type PolicyEntry = { name: string; version: number; kind: string; document: string };

/**
 * policies.json: hash → policy. `document` is the stored canonical JSON text, so its SHA-256
 * is the hash (a parsed object would have to be re-canonicalized to check it).
 */
export async function policiesMap(selection: Selection): Promise<Record<string, PolicyEntry>> {
  const policies = await policiesUsed(selection);
  return Object.fromEntries(policies.map(({ hash, ...policy }) => [hash, policy]));
}

export function policiesFile(policies: Record<string, PolicyEntry>): Encoded {
  return whole(`${JSON.stringify(policies, null, 2)}\n`, Object.keys(policies).length);
}

export function keyFile(pem: string): Encoded {
  return whole(pem, null);
}
