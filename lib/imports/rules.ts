// Pure rules of an import: the size limits, the report both the CLI and the admin upload
// show, and its sentences. No I/O, so the upload form can check sizes in the browser too.
import type { LineError } from "@/lib/imports/jsonl";

/**
 * Larger files are refused before parsing. A file is imported in one transaction that
 * holds the audit log's lock (so votes wait) and must finish within importRecords'
 * 120 s timeout, which a file of 10,000 datapoints did on a development machine.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_LINES = 10_000;
/**
 * The upload page's own limit, the same as the CLI's: next.config.js raises the server
 * actions' body limit (`experimental.serverActions.bodySizeLimit`) to just above it.
 */
export const MAX_UPLOAD_BYTES = MAX_IMPORT_BYTES;
/** A report lists this many problems; the count says how many there are in all. */
export const MAX_REPORTED_ERRORS = 100;

export type ImportSummary = {
  /** Slugs of every batch the file names, sorted. */
  batches: string[];
  batchesCreated: number;
  batchesUnchanged: number;
  datapointsCreated: number;
  datapointsUnchanged: number;
};

/** What an import did, or why it did nothing: the one shape the CLI and the page print. */
export type ImportReport = {
  ok: boolean;
  /** One or two sentences for the person; a refusal ends in "Nothing was imported." */
  message: string;
  /** Hex SHA-256 of the file's bytes, as recorded in `import.completed`. */
  fileHash: string;
  /** Null when nothing was imported. */
  summary: ImportSummary | null;
  /** The first MAX_REPORTED_ERRORS problems, by line. */
  errors: LineError[];
  /** How many lines have problems (errors may list fewer). */
  errorCount: number;
  /** True when checking stopped early, so errorCount is a lower bound. */
  errorCountIsLowerBound: boolean;
};

export const NOTHING_IMPORTED = "Nothing was imported.";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;

/** Why a file of this many bytes is refused before reading it, or null. */
export function sizeProblem(bytes: number, limit = MAX_IMPORT_BYTES): string | null {
  if (bytes === 0) return "The file is empty.";
  if (bytes <= limit) return null;
  return `The file is ${megabytes(bytes)}; the limit is ${megabytes(limit)}. Split it into smaller files.`;
}

/** The upload page's refusal of a file it cannot accept (see MAX_UPLOAD_BYTES). */
export const UPLOAD_TOO_LARGE = `The upload limit is ${megabytes(MAX_UPLOAD_BYTES)}: import larger files with \`npm run import\`.`;

/** Lines as the validation report numbers them (a final newline does not start a line). */
export function lineCount(text: string): number {
  let lines = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return lines;
}

export function linesProblem(text: string, limit = MAX_IMPORT_LINES): string | null {
  const lines = lineCount(text);
  if (lines <= limit) return null;
  return `The file has ${count(lines, "line")}; the limit is ${count(limit, "line")}. Split it into smaller files.`;
}

/** A refusal for the whole file (too large, not text…): no line to point at. */
export function refusedFile(fileHash: string, problem: string): ImportReport {
  return {
    ok: false,
    message: `${problem} ${NOTHING_IMPORTED}`,
    fileHash,
    summary: null,
    errors: [],
    errorCount: 0,
    errorCountIsLowerBound: false,
  };
}

/** A refusal naming lines; `lowerBound` when checking stopped before the end of the file. */
export function refusedLines(fileHash: string, errors: LineError[], lowerBound = false): ImportReport {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const lines = new Set(sorted.map((e) => e.line)).size;
  const what = lowerBound
    ? `At least ${count(lines, "line")} ${lines === 1 ? "has" : "have"} problems (checking stopped there).`
    : `${count(lines, "line")} ${lines === 1 ? "has a problem" : "have problems"}.`;
  return {
    ok: false,
    message: `${what} ${NOTHING_IMPORTED}`,
    fileHash,
    summary: null,
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
    errorCount: sorted.length,
    errorCountIsLowerBound: lowerBound,
  };
}

export function imported(fileHash: string, summary: ImportSummary): ImportReport {
  return {
    ok: true,
    message: summaryMessage(summary),
    fileHash,
    summary,
    errors: [],
    errorCount: 0,
    errorCountIsLowerBound: false,
  };
}

export function summaryMessage(s: ImportSummary): string {
  if (s.batchesCreated + s.datapointsCreated === 0) {
    return `Nothing new: ${count(s.datapointsUnchanged, "datapoint")} ${s.datapointsUnchanged === 1 ? "was" : "were"} already imported with identical content.`;
  }
  const created = [
    s.batchesCreated && count(s.batchesCreated, "batch", "batches"),
    s.datapointsCreated && count(s.datapointsCreated, "datapoint"),
  ]
    .filter(Boolean)
    .join(" and ");
  const unchanged = s.datapointsUnchanged
    ? ` ${count(s.datapointsUnchanged, "datapoint")} ${s.datapointsUnchanged === 1 ? "was" : "were"} already there, unchanged.`
    : "";
  return `Imported ${created} into ${s.batches.join(", ")}.${unchanged}`;
}

/** "and 250 more": the problems a report leaves out, or null when it lists them all. */
export function moreErrors(report: ImportReport): string | null {
  const more = report.errorCount - report.errors.length;
  if (more <= 0 && !report.errorCountIsLowerBound) return null;
  return report.errorCountIsLowerBound
    ? `…and at least ${count(more, "more problem")} (checking stopped there).`
    : `…and ${count(more, "more problem")}.`;
}
