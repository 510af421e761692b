// The download files' names and media types, and JSONL and CSV encoding of pages of rows.
// Each page becomes one chunk, so memory holds one page at a time whatever the file's size,
// and the consumer's pace sets the reader's.
import { stringify } from "csv-stringify/sync";
import type { Column } from "./columns";

/**
 * A file being produced: its bytes in chunks, and how many rows went into it once they are
 * all read (null for files that are not tables: the policies, the key).
 */
export type Encoded = { chunks: AsyncIterable<Uint8Array>; rows: () => number | null };

const JSONL = "application/jsonl; charset=utf-8";

export const FILES = {
  "audit.jsonl": { mediaType: JSONL },
  "checkpoints.jsonl": { mediaType: JSONL },
  "decisions.jsonl": { mediaType: JSONL },
  "votes.jsonl": { mediaType: JSONL },
  "dataset.jsonl": { mediaType: JSONL },
  "dataset.preference.jsonl": { mediaType: JSONL },
  "dataset.csv": { mediaType: "text/csv; charset=utf-8; header=present" },
  "dataset.parquet": { mediaType: "application/vnd.apache.parquet" },
  "policies.json": { mediaType: "application/json; charset=utf-8" },
  "checkpoint-key.pem": { mediaType: "application/x-pem-file" },
} as const;

export type FileName = keyof typeof FILES;

const utf8 = new TextEncoder();

/** One JSON value a line, "\n" after every line (also the last). */
export function jsonl<T>(pages: AsyncIterable<T[]>, line: (row: T) => unknown = (row) => row): Encoded {
  let rows = 0;
  async function* chunks() {
    for await (const page of pages) {
      let text = "";
      for (const row of page) {
        const value = line(row);
        if (value === null) continue;
        text += `${JSON.stringify(value)}\n`;
        rows++;
      }
      if (text) yield utf8.encode(text);
    }
  }
  return { chunks: chunks(), rows: () => rows };
}

/**
 * RFC 4180 CSV (CRLF, a header row, fields quoted when they must be). Quoting and escaping are
 * csv-stringify's (a maintained library: hand-written CSV quoting is where exports go wrong).
 * Cells: empty = null, JSON columns as JSON text, booleans true/false, times ISO 8601 UTC.
 * Text cells (STRING and JSON columns) that begin with `=`, `+`, `-`, `@`, a tab or a carriage
 * return get a single quote `'` in front (OWASP's CSV-injection rule), so a spreadsheet shows
 * them as text instead of running them as a formula; strip that one quote to get the original.
 * Numbers are never prefixed. The offline verifier rebuilds the file with this same csvCell.
 */
export function csv<T>(
  pages: AsyncIterable<T[]>,
  columns: readonly Column[],
  cells: (row: T) => Record<string, unknown>,
): Encoded {
  let rows = 0;
  const options = { record_delimiter: "\r\n", quote_record_delimiter: true } as const;
  async function* chunks() {
    yield utf8.encode(stringify([columns.map((c) => c.name)], options));
    for await (const page of pages) {
      if (page.length === 0) continue;
      const records = page.map((row) => {
        const values = cells(row);
        return columns.map((column) => csvCell(values[column.name], column));
      });
      rows += records.length;
      yield utf8.encode(stringify(records, options));
    }
  }
  return { chunks: chunks(), rows: () => rows };
}

export function csvCell(value: unknown, column: Column): string {
  if (value === null || value === undefined) return "";
  if (column.type === "JSON") return defuseFormula(JSON.stringify(value));
  if (typeof value === "boolean") return value ? "true" : "false";
  return column.type === "STRING" ? defuseFormula(String(value)) : String(value);
}

const FORMULA_START = /^[=+\-@\t\r]/;

function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A fixed body (policies.json, the key) as an Encoded file. */
export function whole(text: string, rows: number | null): Encoded {
  async function* chunks() {
    yield utf8.encode(text);
  }
  return { chunks: chunks(), rows: () => rows };
}
