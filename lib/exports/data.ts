// Reads behind the downloads. Every table is walked by keyset pagination, one page per query
// and no connection held between pages, so a download of any size holds one page in memory
// (the audit trail: two, reading one ahead) and the pace of the consumer sets the pace of
// the reads (the generators are lazy). Every read goes to the source of the request's
// readLogAt scope (the read replica when it holds the cut), the primary outside one.
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { checkpointOfSize, latestCheckpoint, logSize, readLogAt, type StoredCheckpoint } from "@/lib/checkpoints/data";
import { reads } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { AUDIT_COPY_COLUMNS, auditLinesOfCopy, type AuditLines } from "./audit-lines";
import type { DecisionRecord, VoteRecord } from "./records";
import type { DatasetRecord, Kind } from "./rules";
import {
  DECISION_STATUS_AT_CUT,
  decisionEventsAtCut,
  keyset,
  selectedDatapoints,
  selectionWhere,
  type Selection,
} from "./selection-sql";
import type { DecisionStatusFilter } from "./schema";

export { checkpointOfSize, latestCheckpoint, logSize, readLogAt, type StoredCheckpoint };
export type { Selection };

/**
 * Rows per query. Dataset rows carry prompts and responses (up to tens of kB), hence fewer.
 * Audit pages are about 1 MB of lines: at site scale, pages of 5,000 and 10,000 events
 * peaked higher in memory for no clear gain in speed (BENCHMARKS.md, section 1).
 */
export const PAGE_ROWS = { audit: 2_000, checkpoints: 1_000, dataset: 500, decisions: 1_000, votes: 5_000 };

/** Keyset window of a table download: after the cursor's key, up to the limit's last key. */
export type Window = { after?: string[]; until?: string[] };

/** A page query: the rows of `window`, at most `take`, skipping `offset` (used to find a limit's end). */
export type PageQuery<T> = (window: Window, take: number, offset?: number) => Promise<T[]>;

export async function* pages<T>(
  query: PageQuery<T>,
  keyOf: (row: T) => string[],
  window: Window,
  size: number,
): AsyncGenerator<T[]> {
  let after = window.after;
  for (;;) {
    const page = await query({ after, until: window.until }, size);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = keyOf(page.at(-1)!);
  }
}

export async function batchExists(slug: string): Promise<boolean> {
  return (await reads.scoped(({ db }) => db.batch.count({ where: { slug } }))) > 0;
}

/**
 * audit.jsonl, events fromSeq…toSeq (inclusive) in seq order, as pages of finished lines:
 * each page is one binary COPY, turned into lines by ./audit-lines without a row object or
 * string per event. The next page is asked for before the current one is yielded, so
 * PostgreSQL reads it while the consumer takes this one: a download holds the page it
 * yielded, the one being read and the buffer its COPY is gathered in, and a connection only
 * while a page is read.
 */
export async function* auditJsonlPages(
  fromSeq: bigint,
  toSeq: bigint,
  size = PAGE_ROWS.audit,
): AsyncGenerator<AuditLines> {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`page size must be a positive integer, not ${size}`);
  // Pages are read one after the other, each gathered here and turned into lines before the
  // next is asked for, so one buffer serves the whole download.
  const received = { bytes: Buffer.alloc(0) };
  const read = (after: bigint) =>
    readAhead(reads.scoped(({ pool }) => auditJsonlPage(pool, after, toSeq, size, received)));
  let next = fromSeq <= toSeq ? read(fromSeq - 1n) : null;
  while (next) {
    const page = await next;
    next = page.lines === size && page.lastSeq! < toSeq ? read(page.lastSeq!) : null;
    if (page.lines > 0) yield page;
  }
}

/** A page read ahead may be dropped unread (the client went away): its failure is then nobody's. */
function readAhead<T>(page: Promise<T>): Promise<T> {
  page.catch(() => undefined);
  return page;
}

/** Up to `size` events after seq `after`, up to seq `toSeq`, as lines; the COPY is gathered in `received`. */
async function auditJsonlPage(
  pool: pg.Pool,
  after: bigint,
  toSeq: bigint,
  size: number,
  received: { bytes: Buffer },
): Promise<AuditLines> {
  // COPY takes no parameters; the bounds are bigints and the size a checked integer.
  const sql = `COPY (SELECT ${AUDIT_COPY_COLUMNS} FROM audit_events WHERE seq > ${after} AND seq <= ${toSeq} ORDER BY seq LIMIT ${size}) TO STDOUT (FORMAT binary)`;
  // COPY needs a driver connection of its own: the pool beneath the Prisma client lends one.
  const client = await pool.connect();
  let length = 0;
  try {
    for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
      if (received.bytes.length < length + chunk.length) {
        const bigger = Buffer.allocUnsafe(Math.max(2 * received.bytes.length, length + chunk.length));
        received.bytes.copy(bigger, 0, 0, length);
        received.bytes = bigger;
      }
      length += chunk.copy(received.bytes, length);
    }
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  client.release();
  return auditLinesOfCopy(received.bytes.subarray(0, length));
}

/** Signed checkpoints with tree sizes from…to (inclusive), smallest first. */
export async function* checkpointPages(
  from: bigint,
  to: bigint,
  size = PAGE_ROWS.checkpoints,
): AsyncGenerator<StoredCheckpoint[]> {
  for (let after = from - 1n; ;) {
    const page = await reads.scoped(({ db }) =>
      db.checkpoint.findMany({
        where: { treeSize: { gt: after, lte: to } },
        orderBy: { treeSize: "asc" },
        take: size,
        select: { treeSize: true, rootHash: true, timestamp: true, signature: true, keyId: true, note: true },
      }),
    );
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page.at(-1)!.treeSize;
  }
}

/** The chosen datapoints, each with its final decision as of the cut; key: [datapoint id]. */
export function selectDataset(selection: Selection): PageQuery<DatasetRecord> {
  return async (window, take, offset = 0) => {
    const rows = await reads.scoped(
      ({ db }) => db.$queryRaw<DatasetSqlRow[]>`
      SELECT dp.id, pub.body ->> 'externalId' AS external_id, bl.slug AS batch, pub.body ->> 'kind' AS kind, dp.category, dp.title,
             dp.prompt, dp.context, dp.responses, dp.label_options, pub.body ->> 'proposedLabel' AS proposed_label,
             pub.body ->> 'contentHash' AS content_hash,
             fd.id AS decision_id, fd.label, fd.policy_hash, fd.tally, fd.is_override, fd.decided_at, fd.finalized_seq
        ${selectedDatapoints(selection.cut)}
       WHERE ${selectionWhere(selection)} AND ${keyset("dp.id", window.after, window.until)}
       ORDER BY dp.id
       LIMIT ${take} OFFSET ${offset}`,
    );
    return rows.map(datasetRecord);
  };
}

type DatasetSqlRow = {
  id: string;
  external_id: string;
  batch: string;
  kind: Kind;
  category: string;
  title: string;
  prompt: string;
  context: string | null;
  responses: DatasetRecord["responses"];
  label_options: unknown;
  proposed_label: string;
  content_hash: string;
  decision_id: string | null;
  label: string | null;
  policy_hash: string | null;
  tally: string | null;
  is_override: boolean | null;
  decided_at: Date | null;
  finalized_seq: bigint | null;
};

function datasetRecord(row: DatasetSqlRow): DatasetRecord {
  const decided = row.decision_id !== null;
  return {
    id: row.id,
    externalId: row.external_id,
    batch: row.batch,
    kind: row.kind,
    category: row.category,
    title: row.title,
    prompt: row.prompt,
    context: row.context,
    responses: row.responses,
    labelOptions: row.label_options,
    proposedLabel: row.proposed_label,
    contentHash: row.content_hash,
    decision: decided
      ? {
          id: row.decision_id!,
          label: row.label!,
          policyHash: row.policy_hash!,
          tally: row.tally,
          isOverride: row.is_override!,
          decidedAt: row.decided_at!,
          finalizedSeq: row.finalized_seq!,
        }
      : null,
  };
}

export const datasetKey = (row: DatasetRecord) => [row.id];

/** The chosen datapoints' ids, for walking their decisions and votes from a datapoint on. */
function selectedFrom(
  selection: Selection,
  firstDatapoint: string | undefined,
  lastDatapoint: string | undefined,
): Prisma.Sql {
  const from = firstDatapoint ? Prisma.sql`dp.id >= ${firstDatapoint}::uuid` : Prisma.sql`TRUE`;
  const to = lastDatapoint ? Prisma.sql`dp.id <= ${lastDatapoint}::uuid` : Prisma.sql`TRUE`;
  return Prisma.sql`(SELECT dp.id, pub.body ->> 'externalId' AS external_id, bl.slug AS batch, pub.body ->> 'kind' AS kind
                       ${selectedDatapoints(selection.cut)}
                      WHERE ${selectionWhere(selection)} AND ${from} AND ${to}) s`;
}

/** Decisions about the chosen datapoints made by the cut; key: [datapoint id, decision id]. */
export function selectDecisions(selection: Selection, status: DecisionStatusFilter): PageQuery<DecisionRecord> {
  return async (window, take, offset = 0) => {
    const rows = await reads.scoped(
      ({ db }) => db.$queryRaw<DecisionSqlRow[]>`
      SELECT d.id, d.datapoint_id, s.external_id, s.batch, s.kind, d.label, d.is_override, d.override_reason::text AS override_reason,
             d.rationale, d.moderator_id, m.pseudonym AS moderator_pseudonym, d.confirmed_by_id, c.pseudonym AS confirmed_by_pseudonym,
             ev.finalized_at AS confirmed_at, ev.recorded_at AS created_at, d.policy_hash, d.last_seq, d.vote_digest, d.tally,
             ev.recorded_seq, ev.finalized_seq, ev.declined_seq, ev.reopened_seq
        FROM ${selectedFrom(selection, window.after?.[0], window.until?.[0])}
        JOIN decisions d ON d.datapoint_id = s.id
        ${decisionEventsAtCut(selection.cut)}
        JOIN users m ON m.id = d.moderator_id
        LEFT JOIN users c ON c.id = d.confirmed_by_id
       WHERE ev.recorded_seq IS NOT NULL AND ${keyset("d.datapoint_id, d.id", window.after, window.until)}
         ${status === "any" ? Prisma.empty : Prisma.sql`AND ${DECISION_STATUS_AT_CUT} = ${status}`}
       ORDER BY d.datapoint_id, d.id
       LIMIT ${take} OFFSET ${offset}`,
    );
    return rows.map((row) => ({
      id: row.id,
      datapointId: row.datapoint_id,
      externalId: row.external_id,
      batch: row.batch,
      kind: row.kind,
      label: row.label,
      isOverride: row.is_override,
      overrideReason: row.override_reason,
      rationale: row.rationale,
      moderatorId: row.moderator_id,
      moderatorPseudonym: row.moderator_pseudonym,
      confirmedById: row.confirmed_by_id,
      confirmedByPseudonym: row.confirmed_by_pseudonym,
      confirmedAt: row.confirmed_at,
      createdAt: row.created_at,
      policyHash: row.policy_hash,
      lastSeq: row.last_seq,
      voteDigest: row.vote_digest,
      tally: row.tally,
      recordedSeq: row.recorded_seq,
      finalizedSeq: row.finalized_seq,
      declinedSeq: row.declined_seq,
      reopenedSeq: row.reopened_seq,
    }));
  };
}

type DecisionSqlRow = {
  id: string;
  datapoint_id: string;
  external_id: string;
  batch: string;
  kind: Kind;
  label: string;
  is_override: boolean;
  override_reason: string | null;
  rationale: string;
  moderator_id: string;
  moderator_pseudonym: string;
  confirmed_by_id: string | null;
  confirmed_by_pseudonym: string | null;
  confirmed_at: Date | null;
  created_at: Date;
  policy_hash: string;
  last_seq: bigint;
  vote_digest: string;
  tally: string;
  recorded_seq: bigint;
  finalized_seq: bigint | null;
  declined_seq: bigint | null;
  reopened_seq: bigint | null;
};

export const decisionKey = (row: DecisionRecord) => [row.datapointId, row.id];

/**
 * Each voter's latest vote on each chosen datapoint at or before the cut, from vote_history
 * (every cast and change, with its event's seq, by plenary_event_seq; a vote whose event is
 * still queued is after every cut); id and rationale hash come from that event.
 * Key: [datapoint id, rater id].
 */
export function selectVotes(selection: Selection): PageQuery<VoteRecord> {
  return async (window, take, offset = 0) => {
    const rows = await reads.scoped(
      ({ db }) => db.$queryRaw<VoteSqlRow[]>`
      SELECT x.*, u.pseudonym, ev.body ->> 'voteId' AS vote_id, ev.body ->> 'rationaleHash' AS rationale_sha256,
             ev.body ->> 'option' AS option, ev.body -> 'shown' AS shown, (ev.body ->> 'at')::timestamptz AS created_at
        FROM (SELECT DISTINCT ON (h.datapoint_id, h.user_id)
                     h.datapoint_id, h.user_id, s.external_id, s.batch, s.kind, h.seq AS audit_seq
                FROM ${selectedFrom(selection, window.after?.[0], window.until?.[0])}
                JOIN (SELECT v.*, plenary_event_seq(v.audit_seq, v.audit_queue_id) AS seq FROM vote_history v) h ON h.datapoint_id = s.id
               WHERE h.seq <= ${selection.cut}::bigint AND ${keyset("h.datapoint_id, h.user_id", window.after, window.until)}
               ORDER BY h.datapoint_id, h.user_id, h.seq DESC
               LIMIT ${take} OFFSET ${offset}) x
        JOIN users u ON u.id = x.user_id
        CROSS JOIN LATERAL (SELECT e.body::jsonb AS body FROM audit_events e WHERE e.seq = x.audit_seq) ev
       ORDER BY x.datapoint_id, x.user_id`,
    );
    return rows.map((row) => ({
      voteId: row.vote_id,
      raterId: row.user_id,
      raterPseudonym: row.pseudonym,
      datapointId: row.datapoint_id,
      externalId: row.external_id,
      batch: row.batch,
      kind: row.kind,
      option: row.option,
      rationaleSha256: row.rationale_sha256,
      shown: row.shown,
      auditSeq: row.audit_seq,
      castAt: row.created_at,
    }));
  };
}

type VoteSqlRow = {
  datapoint_id: string;
  user_id: string;
  external_id: string;
  batch: string;
  kind: Kind;
  option: string;
  shown: unknown;
  audit_seq: bigint;
  created_at: Date;
  pseudonym: string;
  vote_id: string;
  rationale_sha256: string | null;
};

export const voteKey = (row: VoteRecord) => [row.datapointId, row.raterId];

export type PolicyDocument = { hash: string; name: string; version: number; kind: string; document: string };

/** The policies of the decisions a release holds (by the cut), with their canonical text. */
export async function policiesUsed(selection: Selection): Promise<PolicyDocument[]> {
  return reads.scoped(
    ({ db }) => db.$queryRaw<PolicyDocument[]>`
    SELECT DISTINCT p.content_hash AS hash, p.name, p.version, p.kind::text AS kind, p.document
      FROM ${selectedFrom(selection, undefined, undefined)}
      JOIN decisions d ON d.datapoint_id = s.id
      ${decisionEventsAtCut(selection.cut)}
      JOIN voting_policies p ON p.id = d.policy_id
     WHERE ev.recorded_seq IS NOT NULL
     ORDER BY p.content_hash`,
  );
}

/** What the /data page shows around its links: public batches and where the log stands. */
export async function downloadsOverview() {
  const [batches, head, checkpoint] = await readLogAt({}, () =>
    Promise.all([
      reads.scoped(({ db }) =>
        db.batch.findMany({
          where: { datapoints: { some: { status: { not: "DRAFT" } } } },
          orderBy: [{ createdAt: "desc" }, { slug: "asc" }],
          select: { slug: true, title: true },
        }),
      ),
      logSize(),
      latestCheckpoint(),
    ]),
  );
  return {
    batches,
    head,
    checkpoint: checkpoint && { treeSize: checkpoint.treeSize, timestamp: checkpoint.timestamp },
  };
}
