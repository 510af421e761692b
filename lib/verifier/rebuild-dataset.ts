// The dataset files rebuilt from the log: dataset.jsonl first (its content must hash to each
// datapoint's datapoint.published contentHash; everything else comes from the log and the
// checked tallies), then dataset.csv (read back with csv-parse), dataset.parquet (read back
// with hyparquet) and dataset.preference.jsonl, each compared row by row with the rows the
// export writes from the same facts, by the same pure functions.
import { createHash } from "node:crypto";
import { parse } from "csv-parse";
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from "hyparquet";
import { schemaFromColumnData } from "hyparquet-writer";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { DATASET_COLUMNS, type Column } from "@/lib/exports/columns";
import { csvCell } from "@/lib/exports/formats";
import { datasetRow, preferencePair, type DatasetRecord, type DatasetRow, type Kind } from "@/lib/exports/rules";
import { difference, type RebuildContext } from "./rebuild";
import { linesOf } from "./source";

type SchemaShape = {
  name: string;
  type?: unknown;
  repetition_type?: unknown;
  converted_type?: unknown;
  logical_type?: unknown;
};

/** Digests of the rows the CSV, Parquet and preference files must hold, per datapoint. */
type Expected = { csv: string; parquet: string; preference: string | null };

const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export async function compareDataset(context: RebuildContext): Promise<Map<string, Expected>> {
  const { facts, selected, findings } = context;
  const finding = (code: string, seq: number | undefined, detail: string) =>
    findings.push({ code, seq, file: "dataset.jsonl", detail });
  const expected = new Map<string, Expected>();
  let rows = 0;
  for await (const text of linesOf(context.release, "dataset.jsonl")) {
    rows++;
    const row = parseObject(text) as DatasetRow | null;
    const id = row ? String(row.datapoint_id) : "";
    const candidate = selected.get(id);
    if (!row || !facts.datapoints.has(id)) {
      finding("DATASET_ROW_UNKNOWN", undefined, `row ${rows} is not a published datapoint's row: ${text.slice(0, 80)}`);
      continue;
    }
    const seq = facts.datapoints.get(id)!.seq;
    if (!candidate) {
      finding("DATASET_ROW_UNSELECTED", seq, `datapoint ${id} is not selected by the release's filters`);
      continue;
    }
    if (expected.has(id)) {
      finding("DATASET_ROW_DUPLICATE", seq, `datapoint ${id} has more than one row`);
      continue;
    }
    const { datapoint } = candidate;
    const content = {
      externalId: datapoint.externalId,
      kind: datapoint.kind.toLowerCase(),
      category: row.category,
      title: row.title,
      prompt: row.prompt,
      context: row.context ?? null,
      responses: row.responses,
      labelOptions: row.label_options,
      proposedLabel: datapoint.proposedLabel,
      proposedLabelSource: datapoint.proposedLabelSource,
    };
    if (sha256Hex(canonicalJson(content)) !== datapoint.contentHash) {
      finding(
        "CONTENT_HASH_MISMATCH",
        seq,
        `datapoint ${id}: the published content does not hash to the contentHash of its datapoint.published event`,
      );
    }
    const finalized = candidate.standing?.finalized;
    const record: DatasetRecord = {
      id,
      externalId: datapoint.externalId,
      batch: candidate.batch?.slug ?? "",
      kind: datapoint.kind as Kind,
      category: row.category,
      title: row.title,
      prompt: row.prompt,
      context: row.context,
      responses: row.responses,
      labelOptions: row.label_options,
      proposedLabel: datapoint.proposedLabel,
      contentHash: datapoint.contentHash,
      decision: finalized
        ? {
            id: finalized.decisionId,
            label: finalized.label,
            policyHash: finalized.policyHash,
            tally: candidate.tally,
            isOverride: finalized.isOverride,
            decidedAt: new Date(finalized.at),
            finalizedSeq: BigInt(finalized.seq),
          }
        : null,
    };
    let rebuilt: DatasetRow;
    try {
      rebuilt = datasetRow(record);
    } catch {
      finding("DATASET_ROW_MALFORMED", seq, `datapoint ${id}: the row's content cannot make a dataset row`);
      continue;
    }
    if (JSON.stringify(rebuilt) !== text) {
      finding(
        "DATASET_ROW_MISMATCH",
        seq,
        `datapoint ${id}: ${difference(rebuilt as unknown as Record<string, unknown>, row as unknown as Record<string, unknown>)}`,
      );
    }
    let preference: string | null = null;
    try {
      const pair = preferencePair(rebuilt);
      preference = pair ? JSON.stringify(pair) : null;
    } catch {
      finding("DATASET_ROW_MALFORMED", seq, `datapoint ${id}: a pairwise row without both responses`);
    }
    expected.set(id, {
      csv: digest(DATASET_COLUMNS.map((column) => csvCell(rebuilt[column.name], column))),
      parquet: digest(DATASET_COLUMNS.map((column) => comparable(rebuilt[column.name], column))),
      preference,
    });
  }
  for (const [id, candidate] of selected) {
    if (!expected.has(id))
      finding(
        "DATASET_ROW_MISSING",
        candidate.datapoint.seq,
        `datapoint ${id} is selected by the filters but has no row`,
      );
  }
  context.rows.set("dataset.jsonl", rows);
  return expected;
}

/** Rows of another dataset file, checked against `expected` by datapoint id: unknown, duplicate and missing rows are findings. */
function tracker(
  context: RebuildContext,
  file: string,
  prefix: string,
  expected: Map<string, Expected>,
  pick: (e: Expected) => string | null,
) {
  const seen = new Set<string>();
  const finding = (code: string, detail: string): void =>
    void context.findings.push({ code: `${prefix}_${code}`, file, detail });
  return {
    row(id: string, actual: string): void {
      const wanted = expected.get(id);
      const want = wanted ? pick(wanted) : null;
      if (want === null) return finding("ROW_EXTRA", `datapoint ${id} should have no row in ${file}`);
      if (seen.has(id)) return finding("ROW_DUPLICATE", `datapoint ${id} has more than one row`);
      seen.add(id);
      if (actual !== want)
        finding("ROW_MISMATCH", `datapoint ${id}: the row differs from the one rebuilt from the log`);
    },
    finish(rows: number): void {
      for (const [id, wanted] of expected)
        if (pick(wanted) !== null && !seen.has(id)) finding("ROW_MISSING", `datapoint ${id} has no row`);
      context.rows.set(file, rows);
    },
  };
}

export async function compareCsv(context: RebuildContext, expected: Map<string, Expected>): Promise<void> {
  const rows = tracker(context, "dataset.csv", "CSV", expected, (e) => e.csv);
  const parser = (await context.release.open("dataset.csv")).pipe(parse({ relax_column_count: true }));
  let count = -1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (count++ < 0) {
        if (record.join(",") !== DATASET_COLUMNS.map((c) => c.name).join(",")) {
          context.findings.push({
            code: "CSV_HEADER",
            file: "dataset.csv",
            detail: "the header row is not the dataset's columns",
          });
        }
        continue;
      }
      rows.row(record[0] ?? "", digest(record));
    }
  } catch (error) {
    context.findings.push({
      code: "CSV_UNREADABLE",
      file: "dataset.csv",
      detail: `dataset.csv is not CSV: ${(error as Error).message}`,
    });
  }
  rows.finish(Math.max(count, 0));
}

export async function compareParquet(context: RebuildContext, expected: Map<string, Expected>): Promise<void> {
  const rows = tracker(context, "dataset.parquet", "PARQUET", expected, (e) => e.parquet);
  const fail = (code: string, detail: string) => context.findings.push({ code, file: "dataset.parquet", detail });
  let count = 0;
  try {
    const file: AsyncBuffer = await context.release.buffer("dataset.parquet");
    const metadata = await parquetMetadataAsync(file);
    const shape = (elements: readonly SchemaShape[]) =>
      JSON.stringify(
        elements.map(({ name, type, repetition_type, converted_type, logical_type }) => [
          name,
          type,
          repetition_type,
          converted_type,
          logical_type,
        ]),
      );
    const expectedSchema = schemaFromColumnData({
      columnData: DATASET_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable, data: [] })),
    });
    if (shape(metadata.schema) !== shape(expectedSchema as SchemaShape[]))
      fail("PARQUET_SCHEMA", "the file's columns or their types are not the dataset's");
    const total = Number(metadata.num_rows);
    for (let start = 0; start < total; start += 1_000) {
      const page = await parquetReadObjects({
        file,
        metadata,
        rowStart: start,
        rowEnd: Math.min(total, start + 1_000),
      });
      for (const object of page) {
        count++;
        rows.row(
          String(object.datapoint_id),
          digest(DATASET_COLUMNS.map((column) => comparable(object[column.name], column))),
        );
      }
    }
  } catch (error) {
    fail("PARQUET_UNREADABLE", `dataset.parquet cannot be read as Parquet: ${(error as Error).message}`);
  }
  rows.finish(count);
}

export async function comparePreference(context: RebuildContext, expected: Map<string, Expected>): Promise<void> {
  const rows = tracker(context, "dataset.preference.jsonl", "PREFERENCE", expected, (e) => e.preference);
  let count = 0;
  for await (const text of linesOf(context.release, "dataset.preference.jsonl")) {
    count++;
    const metadata = (parseObject(text)?.metadata ?? null) as { datapoint_id?: unknown } | null;
    rows.row(String(metadata?.datapoint_id), text);
  }
  rows.finish(count);
}

/** A cell as both the rebuilt row and a Parquet reader give it: instants as ISO text, JSON as canonical text. */
function comparable(value: unknown, column: Column): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (column.type === "TIMESTAMP") return new Date(value as string).toISOString();
  if (typeof value === "bigint") return Number(value);
  if (column.type === "JSON") return canonicalJson(typeof value === "string" ? safeParse(value) : value);
  return value;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  const value = safeParse(text);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
