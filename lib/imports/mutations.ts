// The one code path of an import, shared by `npm run import` and the admin upload page:
// size checks, validation of every line, then the all-or-nothing import with its events.
import { createHash } from "node:crypto";
import { MAX_IMPORT_ERRORS, parseImportJsonl } from "@/lib/datapoints/jsonl";
import { importRecords } from "@/lib/datapoints/mutations";
import { imported, linesProblem, refusedFile, refusedLines, sizeProblem, type ImportReport } from "./rules";

export type ImportFileOptions = {
  /** The admin importing (audited as actorId); null for the system. */
  actorId: string | null;
  /** Records written so far out of all records, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  now?: Date;
};

// fatal: a file that is not UTF-8 is refused rather than imported with U+FFFD in place
// of what the author wrote. A leading byte-order mark is dropped.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Import a JSONL file (its bytes, or text to be encoded as UTF-8). Expected problems come
 * back in the report, never as exceptions; nothing is imported unless every line is valid.
 */
export async function importFile(file: Uint8Array | string, options: ImportFileOptions): Promise<ImportReport> {
  const bytes = typeof file === "string" ? new TextEncoder().encode(file) : file;
  const fileHash = createHash("sha256").update(bytes).digest("hex");

  const tooLarge = sizeProblem(bytes.byteLength);
  if (tooLarge) return refusedFile(fileHash, tooLarge);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refusedFile(fileHash, "The file is not UTF-8 text.");
  }
  const tooLong = linesProblem(text);
  if (tooLong) return refusedFile(fileHash, tooLong);

  const parsed = parseImportJsonl(text);
  if (!parsed.ok) return refusedLines(fileHash, parsed.errors, parsed.errors.length >= MAX_IMPORT_ERRORS);

  const { batches, datapoints } = parsed.value;
  options.onProgress?.(0, batches.length + datapoints.length);
  const outcome = await importRecords(parsed.value, options.actorId, options.now, { onProgress: options.onProgress, file: { fileHash } });
  if (!outcome.ok) return refusedLines(fileHash, outcome.errors);
  return imported(fileHash, {
    batches: [...new Set([...batches.map((b) => b.record.slug), ...datapoints.map((d) => d.record.batch)])].sort(),
    batchesCreated: outcome.batchesCreated,
    batchesUnchanged: batches.length - outcome.batchesCreated,
    datapointsCreated: outcome.datapointsCreated,
    datapointsUnchanged: outcome.unchanged,
  });
}
