// The SQL that chooses what a download covers, shared by every table query in data.ts.
//
// The cut: a download describes the log up to one seq (a signed checkpoint's tree size in a
// release). Whatever decides which rows a release holds is read from the log's events up to
// the cut, never from today's tables, so the offline verifier can apply the same rules to the
// same events (lib/verifier/selection.ts) and refuse a release whose rows differ:
//   - a datapoint counts once its datapoint.published event is at or before the cut;
//   - its label is final when a decision.finalized event for it is at or before the cut and
//     no decision.reopened event for that decision is (a label reopened later was final then);
//   - its status at the cut follows from those events and its batch's lifecycle events;
//   - a decision counts once its first event is; its status is read from its events.
// Filters then choose datapoints; every file of a release is about the same datapoints.
import { Prisma } from "@/lib/generated/prisma/client";
import { decisionTimeRange, type ExportFilters } from "./schema";

export type Selection = {
  filters: ExportFilters;
  cut: bigint;
  /** Only pairwise datapoints whose final label is A or B (the preference file). */
  preferenceOnly?: boolean;
};

/**
 * The datapoints a download can cover (`dp`, `b`), with what the log says of each at the cut:
 *   - `pub`: its datapoint.published event (a datapoint published after the cut drops out);
 *   - `bl`: its batch's batch.created / batch.opened / batch.closed events up to the cut (a
 *     batch has a handful, gathered once per query and hash-joined);
 *   - `fd`: the decision that made it final as of the cut, from its decision.finalized event,
 *     with the decision's row read only for the tally text that event hashes.
 */
export function selectedDatapoints(cut: bigint): Prisma.Sql {
  return Prisma.sql`FROM datapoints dp JOIN batches b ON b.id = dp.batch_id
    CROSS JOIN LATERAL (
      SELECT pe.seq, pe.body::jsonb AS body FROM audit_events pe
       WHERE pe.datapoint_id = dp.id AND pe.type = 'datapoint.published' AND pe.seq <= ${cut}::bigint
       ORDER BY pe.seq LIMIT 1) pub
    LEFT JOIN (
      SELECT (e.body::jsonb ->> 'batchId')::uuid AS batch_id,
             min(e.body::jsonb ->> 'slug') FILTER (WHERE e.type = 'batch.created') AS slug,
             min((e.body::jsonb ->> 'opensAt')::timestamptz) FILTER (WHERE e.type = 'batch.created') AS opens_at,
             min((e.body::jsonb ->> 'closesAt')::timestamptz) FILTER (WHERE e.type = 'batch.created') AS closes_at,
             array_agg(e.seq) FILTER (WHERE e.type = 'batch.opened') AS opened,
             array_agg(e.seq) FILTER (WHERE e.type = 'batch.closed') AS closed
        FROM audit_events e
       WHERE e.type IN ('batch.created', 'batch.opened', 'batch.closed') AND e.seq <= ${cut}::bigint
       GROUP BY 1) bl ON bl.batch_id = dp.batch_id
    LEFT JOIN LATERAL (
      SELECT (fe.body::jsonb ->> 'decisionId')::uuid AS id, fe.body::jsonb ->> 'label' AS label,
             fe.body::jsonb ->> 'policyHash' AS policy_hash, (fe.body::jsonb ->> 'isOverride')::boolean AS is_override,
             (fe.body::jsonb ->> 'at')::timestamptz AS decided_at, fe.seq AS finalized_seq,
             (SELECT d.tally FROM decisions d WHERE d.id = (fe.body::jsonb ->> 'decisionId')::uuid) AS tally
        FROM audit_events fe
       WHERE fe.datapoint_id = dp.id AND fe.type = 'decision.finalized' AND fe.seq <= ${cut}::bigint
         AND NOT EXISTS (SELECT 1 FROM audit_events re
                          WHERE re.datapoint_id = dp.id AND re.type = 'decision.reopened' AND re.seq <= ${cut}::bigint
                            AND re.body::jsonb ->> 'decisionId' = fe.body::jsonb ->> 'decisionId')
       ORDER BY fe.seq DESC
       LIMIT 1) fd ON TRUE`;
}

/** Its status when published: recorded in the event, or (older events) from its batch's times then. */
const STATUS_AT_PUBLICATION = Prisma.sql`COALESCE(pub.body ->> 'initialStatus', CASE
  WHEN (pub.body ->> 'at')::timestamptz < bl.opens_at THEN 'DRAFT'
  WHEN (pub.body ->> 'at')::timestamptz < bl.closes_at THEN 'OPEN'
  ELSE 'CLOSED' END)`;
const FIRST_OPENED = Prisma.sql`(SELECT min(s) FROM unnest(bl.opened) s WHERE s > pub.seq)`;
const LAST_CLOSED = Prisma.sql`(SELECT max(s) FROM unnest(bl.closed) s WHERE s > pub.seq)`;

/**
 * A datapoint's status at the cut, from the log alone (lib/verifier/selection.ts: statusAtCut
 * is the same rule): FINALIZED while a decision stands; REOPENED once an appeal reopened it
 * and no later decision stands; otherwise its status at publication, moved as the lifecycle
 * moves it: a draft opens with the first batch.opened after its publication and is closed by
 * a batch.closed after that; an open one is closed by any later batch.closed.
 */
function statusAtCut(cut: bigint): Prisma.Sql {
  return Prisma.sql`(CASE
  WHEN fd.id IS NOT NULL THEN 'FINALIZED'
  WHEN EXISTS (SELECT 1 FROM audit_events re
                WHERE re.datapoint_id = dp.id AND re.type = 'decision.reopened' AND re.seq <= ${cut}::bigint) THEN 'REOPENED'
  WHEN ${STATUS_AT_PUBLICATION} = 'DRAFT' THEN (CASE
    WHEN ${FIRST_OPENED} IS NULL THEN 'DRAFT'
    WHEN ${LAST_CLOSED} > ${FIRST_OPENED} THEN 'CLOSED'
    ELSE 'OPEN' END)
  WHEN ${STATUS_AT_PUBLICATION} = 'OPEN' THEN (CASE WHEN ${LAST_CLOSED} IS NOT NULL THEN 'CLOSED' ELSE 'OPEN' END)
  ELSE 'CLOSED' END)`;
}

/** `ev`: the seqs of decision `d`'s events up to the cut (recorded_seq null: not yet made), and their times. */
export function decisionEventsAtCut(cut: bigint): Prisma.Sql {
  return Prisma.sql`
    CROSS JOIN LATERAL (
      SELECT min(e.seq) AS recorded_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.finalized') AS finalized_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.override_declined') AS declined_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.reopened') AS reopened_seq,
             (array_agg(e.body::jsonb ->> 'at' ORDER BY e.seq))[1]::timestamptz AS recorded_at,
             min((e.body::jsonb ->> 'at')::timestamptz) FILTER (WHERE e.type = 'decision.finalized') AS finalized_at
        FROM audit_events e
       WHERE e.datapoint_id = d.datapoint_id AND e.seq <= ${cut}::bigint
         AND e.type IN ('decision.override_proposed', 'decision.finalized', 'decision.override_declined', 'decision.reopened')
         AND e.body::jsonb ->> 'decisionId' = d.id::text) ev`;
}

/** The status of `d` at the cut, from `ev`; mirrors records.ts: decisionStatusAt. */
export const DECISION_STATUS_AT_CUT = Prisma.sql`(CASE
  WHEN ev.reopened_seq IS NOT NULL THEN 'SUPERSEDED'
  WHEN ev.finalized_seq IS NOT NULL THEN 'FINAL'
  WHEN ev.declined_seq IS NOT NULL THEN 'DECLINED'
  ELSE 'PENDING_CONFIRMATION' END)`;

/** The chosen datapoints: `selectedDatapoints(cut) WHERE` these conditions. */
export function selectionWhere({ filters, cut, preferenceOnly }: Selection): Prisma.Sql {
  const status = statusAtCut(cut);
  const conditions = [Prisma.sql`${status} <> 'DRAFT'`];
  if (filters.batch) conditions.push(Prisma.sql`bl.slug = ${filters.batch}`);
  if (filters.status !== "any") conditions.push(Prisma.sql`${status} = ${filters.status}`);
  // Tally thresholds and dates concern final labels: a datapoint without one never passes them.
  const { from, before } = decisionTimeRange(filters);
  if (from) conditions.push(Prisma.sql`fd.decided_at >= ${from}::timestamptz`);
  if (before) conditions.push(Prisma.sql`fd.decided_at < ${before}::timestamptz`);
  if (filters.minMargin !== undefined) {
    conditions.push(Prisma.sql`(fd.tally::jsonb #>> '{margin,value}')::float8 >= ${filters.minMargin}::float8`);
  }
  if (filters.minAgreement !== undefined) {
    // Rounded as lib/tally publishes numbers (12 significant digits for shares ≥ 0.1), so a
    // threshold equal to the exported agreement keeps the row.
    conditions.push(Prisma.sql`(SELECT round((max((o ->> 'votes')::float8) / NULLIF(sum((o ->> 'votes')::float8), 0))::numeric, 12)
                                  FROM jsonb_array_elements(fd.tally::jsonb -> 'options') o) >= ${filters.minAgreement}::numeric`);
  }
  if (preferenceOnly) conditions.push(Prisma.sql`pub.body ->> 'kind' = 'PAIRWISE' AND fd.label IN ('A', 'B')`);
  return Prisma.join(conditions, " AND ");
}

/** Keyset bounds on a row key: rows after `after`, up to and including `until`. */
export function keyset(columns: string, after: string[] | undefined, until: string[] | undefined): Prisma.Sql {
  const key = Prisma.raw(columns);
  const tuple = (values: string[]) => Prisma.join(values.map((v) => Prisma.sql`${v}::uuid`));
  const parts = [Prisma.sql`TRUE`];
  if (after) parts.push(Prisma.sql`(${key}) > (${tuple(after)})`);
  if (until) parts.push(Prisma.sql`(${key}) <= (${tuple(until)})`);
  return Prisma.join(parts, " AND ");
}
