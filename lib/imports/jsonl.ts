// Parsing an import file (JSONL) into validated records, with a report that names every
// bad line. Pure: the CLI, the admin upload and the demo seed all go through it.
import type { z } from "zod";
import {
  batchRecordSchema,
  datapointRecordSchema,
  type BatchRecord,
  type DatapointRecord,
} from "@/lib/datapoints/schema";

export type LineError = { line: number; message: string };
export type Numbered<T> = { line: number; record: T };
export type ParsedImport = {
  batches: Numbered<BatchRecord>[];
  datapoints: Numbered<DatapointRecord>[];
};
export type ParseResult = { ok: true; value: ParsedImport } | { ok: false; errors: LineError[] };

export const MAX_IMPORT_ERRORS = 200;

export function parseImportJsonl(text: string): ParseResult {
  const errors: LineError[] = [];
  const value: ParsedImport = { batches: [], datapoints: [] };
  const seenBatches = new Set<string>();
  const seenDatapoints = new Set<string>();

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "" || errors.length >= MAX_IMPORT_ERRORS) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      errors.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const kind = (json as { record?: unknown } | null)?.record;
    if (kind === "batch") {
      const parsed = batchRecordSchema.safeParse(json);
      if (!parsed.success) return void errors.push({ line, message: describe(parsed.error) });
      if (seenBatches.has(parsed.data.slug)) {
        return void errors.push({ line, message: `batch "${parsed.data.slug}" appears twice in this file` });
      }
      if (new Date(parsed.data.closesAt) <= new Date(parsed.data.opensAt)) {
        return void errors.push({ line, message: "closesAt must be after opensAt" });
      }
      seenBatches.add(parsed.data.slug);
      value.batches.push({ line, record: parsed.data });
    } else if (kind === "datapoint") {
      const parsed = datapointRecordSchema.safeParse(json);
      if (!parsed.success) return void errors.push({ line, message: describe(parsed.error) });
      const key = `${parsed.data.batch}\u0000${parsed.data.externalId}`;
      if (seenDatapoints.has(key)) {
        return void errors.push({
          line,
          message: `externalId "${parsed.data.externalId}" appears twice in batch "${parsed.data.batch}"`,
        });
      }
      seenDatapoints.add(key);
      value.datapoints.push({ line, record: parsed.data });
    } else {
      errors.push({ line, message: 'each line needs "record": "batch" or "datapoint"' });
    }
  });

  if (errors.length === 0 && value.batches.length + value.datapoints.length === 0) {
    errors.push({ line: 1, message: "the file has no records" });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
