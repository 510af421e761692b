// What must hold after any amount of load, crashing or outage: every acknowledged vote is
// stored exactly once, tables and audit log agree row for row (no change without its event,
// no event without its change), seq is gapless and the hash chain verifies.
import { expect } from "vitest";
import type { TestDatabase } from "./database";
import type { Ack, Services } from "./voters";

/**
 * A vote is acknowledged once it and its queued audit event commit; the server sequences
 * the event moments later, or its sweep does within a second (lib/audit/schedule.ts). So
 * the queue must be empty within a few seconds of the last answer, and the checks below
 * read the log after that.
 */
export async function expectQueueDrained(database: TestDatabase): Promise<void> {
  const deadline = Date.now() + 10_000;
  let queued = -1;
  for (;;) {
    const { rows } = await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_queue`);
    queued = rows[0]!.n;
    if (queued === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(queued, "audit events still queued 10 s after the last answer").toBe(0);
}

export async function expectGaplessLog(database: TestDatabase): Promise<number> {
  await expectQueueDrained(database);
  const { rows } = await database.sql.query<{ n: string; min: string | null; max: string | null; head: string }>(
    `SELECT count(*)::text AS n, min(seq)::text AS min, max(seq)::text AS max, (SELECT last_seq::text FROM audit_head) AS head FROM audit_events`,
  );
  const { n, min, max, head } = rows[0]!;
  expect(Number(n)).toBeGreaterThan(0);
  expect({ min, max, head }).toEqual({ min: "1", max: n, head: n });
  return Number(n);
}

/** Every acknowledged vote has exactly one history row with what was acknowledged. */
export async function expectAcknowledgedVotesStored(database: TestDatabase, acks: Ack[]): Promise<void> {
  const { rows } = await database.sql.query<{
    key: string;
    user_id: string;
    datapoint_id: string;
    option: string;
    copies: string;
    vote_id: string;
  }>(
    `SELECT h.idempotency_key AS key, h.user_id, h.datapoint_id, h.option, count(*) OVER (PARTITION BY h.idempotency_key)::text AS copies, v.id AS vote_id
       FROM vote_history h JOIN votes v ON v.user_id = h.user_id AND v.datapoint_id = h.datapoint_id
      WHERE h.idempotency_key = ANY($1::text[])`,
    [acks.map((a) => a.idempotencyKey)],
  );
  const stored = new Map(rows.map((r) => [r.key, r]));
  const missing = acks.filter((a) => !stored.has(a.idempotencyKey));
  expect(missing.length, `acknowledged votes missing, e.g. ${JSON.stringify(missing[0])}`).toBe(0);
  const wrong = acks.filter((a) => {
    const row = stored.get(a.idempotencyKey)!;
    return (
      row.copies !== "1" ||
      row.user_id !== a.userId ||
      row.datapoint_id !== a.datapointId ||
      row.option !== a.option ||
      row.vote_id !== a.voteId
    );
  });
  expect(
    wrong.length,
    `acknowledged votes stored differently, e.g. ${JSON.stringify(wrong[0])} vs ${JSON.stringify(stored.get(wrong[0]?.idempotencyKey ?? ""))}`,
  ).toBe(0);
}

/**
 * Tables and log agree: each history row's event is the vote event for that row (cast first,
 * then changes naming the previous option), each vote event belongs to exactly one history row,
 * and each current vote is the latest history row.
 */
export async function expectVotesMatchLog(database: TestDatabase): Promise<{ votes: number; history: number }> {
  await expectQueueDrained(database);
  const q = async (text: string) => (await database.sql.query(text)).rows;
  const [{ history, events }] = (await q(
    `SELECT (SELECT count(*) FROM vote_history)::int AS history, (SELECT count(*) FROM audit_events WHERE type IN ('vote.cast', 'vote.changed'))::int AS events`,
  )) as [{ history: number; events: number }];
  expect(events, "vote events vs history rows").toBe(history);

  const eventsWithoutRow = await q(
    `SELECT e.seq FROM audit_events e LEFT JOIN vote_history h ON plenary_event_seq(h.audit_seq, h.audit_queue_id) = e.seq WHERE e.type IN ('vote.cast', 'vote.changed') AND h.id IS NULL LIMIT 5`,
  );
  expect(eventsWithoutRow, "vote events without their history row").toEqual([]);

  const mismatched = await q(`
    WITH s AS (SELECT h.*, plenary_event_seq(h.audit_seq, h.audit_queue_id) AS seq FROM vote_history h),
    h AS (
      SELECT s.*, lag(s.option) OVER (PARTITION BY s.user_id, s.datapoint_id ORDER BY s.seq) AS previous
        FROM s
    )
    SELECT h.seq::text, e.type, h.option, h.previous FROM h
      LEFT JOIN audit_events e ON e.seq = h.seq
      LEFT JOIN votes v ON v.user_id = h.user_id AND v.datapoint_id = h.datapoint_id
     WHERE e.seq IS NULL
        OR e.type <> CASE WHEN h.previous IS NULL THEN 'vote.cast' ELSE 'vote.changed' END
        OR e.body::jsonb->>'actorId' <> h.user_id::text
        OR e.body::jsonb->>'datapointId' <> h.datapoint_id::text
        OR e.body::jsonb->>'option' <> h.option
        OR e.body::jsonb->>'voteId' IS DISTINCT FROM v.id::text
        OR (h.previous IS NOT NULL AND e.body::jsonb->>'previousOption' <> h.previous)
     LIMIT 5`);
  expect(mismatched, "history rows whose audit event does not describe them").toEqual([]);

  const stale = await q(`
    SELECT v.id FROM votes v
      JOIN LATERAL (SELECT option, plenary_event_seq(audit_seq, audit_queue_id) AS seq FROM vote_history h
                     WHERE h.user_id = v.user_id AND h.datapoint_id = v.datapoint_id ORDER BY seq DESC NULLS FIRST LIMIT 1) latest ON true
     WHERE v.option <> latest.option OR plenary_event_seq(v.audit_seq, v.audit_queue_id) IS DISTINCT FROM latest.seq
     LIMIT 5`);
  expect(stale, "current votes that are not their latest history row").toEqual([]);
  const orphans = await q(
    `SELECT DISTINCT h.user_id, h.datapoint_id FROM vote_history h LEFT JOIN votes v ON v.user_id = h.user_id AND v.datapoint_id = h.datapoint_id WHERE v.id IS NULL LIMIT 5`,
  );
  expect(orphans, "history rows without a current vote").toEqual([]);
  const [{ votes }] = (await q(`SELECT count(*)::int AS votes FROM votes`)) as [{ votes: number }];
  return { votes, history };
}

export async function expectChainValid(s: Services): Promise<void> {
  const result = await s.verifyStoredLog();
  expect(result.problems.slice(0, 3)).toEqual([]);
  expect(result.ok).toBe(true);
}

/**
 * Nothing half-written outside the votes either: every comment, comment version, flag,
 * decision, appeal and display name has the event that recorded it, and every such event
 * its row (display names: of accounts not erased since).
 */
export async function expectRowsMatchLog(database: TestDatabase): Promise<void> {
  await expectQueueDrained(database);
  const key = (type: string, k: string) => `SELECT ${k} AS k FROM audit_events WHERE type IN (${type})`;
  // [what, the rows' keys, the keys of the events that may record a row, the keys of the events that must have one]
  const checks: [string, string, string, string][] = [
    [
      "comments",
      `SELECT id::text AS k FROM comments`,
      key("'comment.posted'", "body::jsonb->>'commentId'"),
      key("'comment.posted'", "body::jsonb->>'commentId'"),
    ],
    [
      "comment versions",
      `SELECT comment_id::text || '/' || version AS k FROM comment_versions`,
      key(
        "'comment.posted', 'comment.edited'",
        "(body::jsonb->>'commentId') || '/' || coalesce(body::jsonb->>'version', '1')",
      ),
      key(
        "'comment.posted', 'comment.edited'",
        "(body::jsonb->>'commentId') || '/' || coalesce(body::jsonb->>'version', '1')",
      ),
    ],
    [
      "flags",
      `SELECT id::text AS k FROM flags`,
      key("'flag.raised'", "body::jsonb->>'flagId'"),
      key("'flag.raised'", "body::jsonb->>'flagId'"),
    ],
    [
      "appeals",
      `SELECT id::text AS k FROM appeals`,
      key("'appeal.filed'", "body::jsonb->>'appealId'"),
      key("'appeal.filed'", "body::jsonb->>'appealId'"),
    ],
    [
      "decisions",
      `SELECT id::text AS k FROM decisions`,
      key("'decision.finalized', 'decision.override_proposed'", "body::jsonb->>'decisionId'"),
      key("'decision.finalized', 'decision.override_proposed'", "body::jsonb->>'decisionId'"),
    ],
    [
      "display names",
      `SELECT user_id::text || '@' || seq AS k FROM user_names`,
      key("'user.created', 'user.renamed'", "(body::jsonb->>'userId') || '@' || seq"),
      `${key("'user.renamed'", "(body::jsonb->>'userId') || '@' || seq")} AND (body::jsonb->>'userId')::uuid IN (SELECT id FROM users WHERE deleted_at IS NULL)`,
    ],
  ];
  for (const [what, rowKeys, recording, recorded] of checks) {
    const { rows } = await database.sql.query<{ side: string; k: string }>(
      `(SELECT 'row without event' AS side, k FROM (${rowKeys}) r WHERE k NOT IN (SELECT k FROM (${recording}) e WHERE k IS NOT NULL))
       UNION ALL (SELECT 'event without row', k FROM (${recorded}) e WHERE k NOT IN (SELECT k FROM (${rowKeys}) r)) LIMIT 5`,
    );
    expect(rows, `${what}: tables and log disagree`).toEqual([]);
  }
}
