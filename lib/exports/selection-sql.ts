// The SQL that chooses what a download covers, shared by every table query in data.ts.
//
// The cut: a download describes the log up to one seq (a signed checkpoint's tree size in a
// release). Tables show today's state, so whatever the log can date is dated from it:
//   - a label counts as final when its decision.finalized event is at or before the cut and
//     no decision.reopened event for it is (a label reopened later was still final then);
//   - a datapoint counts once its datapoint.published event is at or before the cut;
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

/** `fd`: the decision that made the datapoint `dp` final as of the cut, or nulls. */
export function finalDecisionAtCut(cut: bigint): Prisma.Sql {
  return Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT d.id, d.label, d.policy_hash, d.tally, d.is_override,
             COALESCE(d.confirmed_at, d.created_at) AS decided_at, ev.finalized_seq
        FROM decisions d
        CROSS JOIN LATERAL (
          SELECT min(e.seq) FILTER (WHERE e.type = 'decision.finalized') AS finalized_seq,
                 min(e.seq) FILTER (WHERE e.type = 'decision.reopened') AS reopened_seq
            FROM audit_events e
           WHERE e.datapoint_id = d.datapoint_id AND e.seq <= ${cut}::bigint
             AND e.type IN ('decision.finalized', 'decision.reopened')
             AND e.body::jsonb ->> 'decisionId' = d.id::text) ev
       WHERE d.datapoint_id = dp.id AND d.status IN ('FINAL', 'SUPERSEDED')
         AND ev.finalized_seq IS NOT NULL AND ev.reopened_seq IS NULL
       ORDER BY ev.finalized_seq DESC
       LIMIT 1) fd ON TRUE`;
}

/** `ev`: the seqs of decision `d`'s events up to the cut (recorded_seq null: not yet made). */
export function decisionEventsAtCut(cut: bigint): Prisma.Sql {
  return Prisma.sql`
    CROSS JOIN LATERAL (
      SELECT min(e.seq) AS recorded_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.finalized') AS finalized_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.override_declined') AS declined_seq,
             min(e.seq) FILTER (WHERE e.type = 'decision.reopened') AS reopened_seq
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

/** The chosen datapoints: `FROM datapoints dp JOIN batches b … fd … WHERE` these conditions. */
export function selectionWhere({ filters, cut, preferenceOnly }: Selection): Prisma.Sql {
  const conditions = [
    Prisma.sql`dp.status <> 'DRAFT'`,
    Prisma.sql`EXISTS (SELECT 1 FROM audit_events pe
                        WHERE pe.datapoint_id = dp.id AND pe.type = 'datapoint.published' AND pe.seq <= ${cut}::bigint)`,
  ];
  if (filters.batch) conditions.push(Prisma.sql`b.slug = ${filters.batch}`);
  if (filters.status === "FINALIZED") conditions.push(Prisma.sql`fd.id IS NOT NULL`);
  else if (filters.status !== "any") conditions.push(Prisma.sql`dp.status = ${filters.status}::"DatapointStatus" AND fd.id IS NULL`);
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
  if (preferenceOnly) conditions.push(Prisma.sql`dp.kind = 'PAIRWISE' AND fd.label IN ('A', 'B')`);
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
