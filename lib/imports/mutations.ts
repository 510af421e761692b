// The one code path of an import, shared by `npm run import`, the admin upload page and the
// demo seed: size checks, validation of every line (importFile), then the all-or-nothing
// write of the batches and datapoints with their events (importRecords).
import { createHash } from "node:crypto";
import { MAX_IMPORT_ERRORS, parseImportJsonl } from "./jsonl";
import { imported, linesProblem, refusedFile, refusedLines, sizeProblem, type ImportReport } from "./rules";
import { appendEvents } from "@/lib/audit/append";
import type { NewAuditEvent } from "@/lib/audit/events";
import { db } from "@/lib/db";
import type { Tx } from "@/lib/database/types";
import type { DatapointKind } from "@/lib/generated/prisma/enums";
import type { LineError, Numbered, ParsedImport } from "./jsonl";
import { contentHashOf, labelOptionsOf, optionsView, scheduledStatus } from "@/lib/datapoints/rules";
import type { BatchRecord, DatapointRecord } from "@/lib/datapoints/schema";
import { KIND_OF_RECORD } from "@/lib/domain/schema";

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
  const outcome = await importRecords(parsed.value, options.actorId, options.now, {
    onProgress: options.onProgress,
    file: { fileHash },
  });
  if (!outcome.ok) return refusedLines(fileHash, outcome.errors);
  return imported(fileHash, {
    batches: [...new Set([...batches.map((b) => b.record.slug), ...datapoints.map((d) => d.record.batch)])].sort(),
    batchesCreated: outcome.batchesCreated,
    batchesUnchanged: batches.length - outcome.batchesCreated,
    datapointsCreated: outcome.datapointsCreated,
    datapointsUnchanged: outcome.unchanged,
  });
}

const KIND: Record<DatapointRecord["kind"], DatapointKind> = KIND_OF_RECORD;

export type ImportOptions = {
  /**
   * Called every PROGRESS_EVERY records and once at the end: the import is one
   * transaction, so this is the only sign of life a long file gives before it commits.
   */
  onProgress?: (done: number, total: number) => void;
  /** Record the import itself (`import.completed`, with the file's SHA-256) when it changed anything. */
  file?: { fileHash: string };
};

const PROGRESS_EVERY = 100;

export type ImportOutcome =
  | { ok: true; batchesCreated: number; datapointsCreated: number; unchanged: number }
  | { ok: false; errors: LineError[] };

/** Rolls the import transaction back while carrying the line errors out of it. */
class ImportRejected extends Error {
  constructor(readonly errors: LineError[]) {
    super("import rejected");
  }
}

/**
 * Import validated records all-or-nothing, in one transaction with their audit events.
 * Re-importing identical content is a no-op, so the demo seed is idempotent; changing
 * published content is refused (published datapoints are immutable).
 */
export async function importRecords(
  parsed: ParsedImport,
  actorId: string | null,
  now = new Date(),
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const total = parsed.batches.length + parsed.datapoints.length;
  let done = 0;
  const step = () => {
    done++;
    if (done % PROGRESS_EVERY === 0 && done < total) options.onProgress?.(done, total);
  };
  try {
    return await db.$transaction(
      async (tx) => {
        const errors: LineError[] = [];
        // The events are appended together at the end: appending takes the log's head lock,
        // held to commit, so taking it at the first row would stop every other writer of the
        // site for the whole import.
        const events: NewAuditEvent[] = [];
        const batches = new Map<string, { id: string; opensAt: Date; closesAt: Date }>();
        let batchesCreated = 0;
        for (const item of parsed.batches) {
          const outcome = await importBatch(tx, item, actorId, events);
          if (!outcome.ok) errors.push(outcome.error);
          else {
            batches.set(item.record.slug, outcome.batch);
            if (outcome.created) batchesCreated++;
          }
          step();
        }
        let datapointsCreated = 0;
        let unchanged = 0;
        for (const item of parsed.datapoints) {
          const batch = batches.get(item.record.batch) ?? (await findBatch(tx, item.record.batch));
          if (!batch) {
            errors.push({
              line: item.line,
              message: `batch "${item.record.batch}" is neither in this file nor already imported`,
            });
            step();
            continue;
          }
          batches.set(item.record.batch, batch);
          const outcome = await importDatapoint(tx, item, batch, actorId, now, events);
          if (outcome === "created") datapointsCreated++;
          else if (outcome === "unchanged") unchanged++;
          else errors.push(outcome);
          step();
        }
        if (errors.length) throw new ImportRejected(errors);
        // Re-importing identical content writes nothing, not even this event: the log
        // records changes, and an identical file changes nothing.
        if (options.file && batchesCreated + datapointsCreated > 0) {
          events.push({
            type: "import.completed",
            actorId,
            fileHash: options.file.fileHash,
            batches: batchSlugsOf(parsed),
            datapointsCreated,
            unchanged,
          });
        }
        await appendEvents(tx, events);
        options.onProgress?.(total, total);
        return { ok: true as const, batchesCreated, datapointsCreated, unchanged };
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof ImportRejected) return { ok: false, errors: error.errors };
    throw error;
  }
}

function batchSlugsOf(parsed: ParsedImport): string[] {
  const slugs = new Set([...parsed.batches.map((b) => b.record.slug), ...parsed.datapoints.map((d) => d.record.batch)]);
  return [...slugs].sort();
}

function findBatch(tx: Tx, slug: string) {
  return tx.batch.findUnique({ where: { slug }, select: { id: true, opensAt: true, closesAt: true } });
}

async function importBatch(
  tx: Tx,
  { line, record }: Numbered<BatchRecord>,
  actorId: string | null,
  events: NewAuditEvent[],
) {
  const existing = await tx.batch.findUnique({ where: { slug: record.slug }, include: { policy: true } });
  if (existing) {
    const same =
      existing.title === record.title &&
      existing.policy.name === record.policy &&
      existing.opensAt.getTime() === new Date(record.opensAt).getTime() &&
      existing.closesAt.getTime() === new Date(record.closesAt).getTime();
    return same
      ? { ok: true as const, batch: existing, created: false }
      : { ok: false as const, error: { line, message: `batch "${record.slug}" already exists with other settings` } };
  }
  const policy = await tx.votingPolicy.findFirst({ where: { name: record.policy }, orderBy: { version: "desc" } });
  if (!policy)
    return { ok: false as const, error: { line, message: `no published voting policy is named "${record.policy}"` } };

  const batch = await tx.batch.create({
    data: {
      slug: record.slug,
      title: record.title,
      description: record.description,
      policyId: policy.id,
      opensAt: new Date(record.opensAt),
      closesAt: new Date(record.closesAt),
      tallyVisibility: record.tallyVisibility,
      rationaleRequired: record.rationaleRequired,
      createdById: actorId,
    },
  });
  events.push({
    type: "batch.created",
    actorId,
    batchId: batch.id,
    slug: batch.slug,
    title: batch.title,
    policyHash: policy.contentHash,
    opensAt: batch.opensAt.toISOString(),
    closesAt: batch.closesAt.toISOString(),
    tallyVisibility: batch.tallyVisibility,
    rationaleRequired: batch.rationaleRequired,
  });
  return { ok: true as const, batch, created: true };
}

async function importDatapoint(
  tx: Tx,
  { line, record }: Numbered<DatapointRecord>,
  batch: { id: string; opensAt: Date; closesAt: Date },
  actorId: string | null,
  now: Date,
  events: NewAuditEvent[],
): Promise<"created" | "unchanged" | LineError> {
  const contentHash = contentHashOf(record);
  const existing = await tx.datapoint.findUnique({
    where: { batchId_externalId: { batchId: batch.id, externalId: record.externalId } },
    select: { contentHash: true },
  });
  if (existing) {
    return existing.contentHash === contentHash
      ? "unchanged"
      : {
          line,
          message: `datapoint "${record.externalId}" is already published with other content; published datapoints cannot change`,
        };
  }
  const initialStatus = scheduledStatus(batch, now);
  const datapoint = await tx.datapoint.create({
    data: {
      batchId: batch.id,
      externalId: record.externalId,
      kind: KIND[record.kind],
      category: record.category,
      title: record.title,
      prompt: record.prompt,
      context: record.context ?? null,
      responses: record.responses,
      labelOptions: labelOptionsOf(record) as object,
      proposedLabel: record.proposedLabel,
      proposedLabelSource: record.proposedLabelSource,
      status: initialStatus,
      contentHash,
    },
  });
  events.push({
    type: "datapoint.published",
    actorId,
    datapointId: datapoint.id,
    batchId: batch.id,
    externalId: record.externalId,
    kind: datapoint.kind,
    contentHash,
    options: optionsView(datapoint.kind, labelOptionsOf(record)).options.map((o) => o.id),
    proposedLabel: record.proposedLabel,
    proposedLabelSource: record.proposedLabelSource,
    initialStatus,
  });
  return "created";
}
