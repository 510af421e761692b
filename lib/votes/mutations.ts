import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Shown } from "@/lib/audit/events";
import { sha256Hex } from "@/lib/audit/hash";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { prepareEvent } from "@/lib/audit/sequencer";
import { pool } from "@/lib/db";
import { uuidv7 } from "@/lib/database/uuid";
import { RATE_LIMITS, rateLimitLockKey, rateLimitVerdict } from "@/lib/limits/rules";
import { isValidOption, responseOrder, tallyVisibleTo, votingState } from "./rules";
import type { VoteInput } from "./schema";

export type CastVoteResult =
  | { ok: true; voteId: string; changed: boolean; duplicate: boolean }
  | {
      ok: false;
      reason: "NOT_FOUND" | "NOT_OPEN_YET" | "VOTING_CLOSED" | "FINALIZED" | "INVALID_OPTION" | "RATIONALE_REQUIRED" | "RATE_LIMITED" | "KEY_REUSED";
      message: string;
    };

/**
 * Cast or change the user's vote. One transaction writes the current vote, its history
 * row and its audit event, which it queues rather than waiting for the log's sequencing
 * lock (lib/audit/sequencer.ts); once committed, the event is sequenced together with the
 * other votes committed meanwhile before the vote is acknowledged. A replayed idempotency
 * key returns the first outcome and writes nothing.
 *
 * Votes come in floods, so this path talks to PostgreSQL through the pg pool under Prisma
 * (lib/db.ts) in two round trips: the user's lock and one read, then one write and COMMIT.
 */
export async function castVote(input: VoteInput, userId: string, now = new Date()): Promise<CastVoteResult> {
  const result = await castVoteOnce(input, userId, now);
  if (result.ok && !result.duplicate) {
    // The vote is committed whatever happens here; an event left queued by a failure is
    // sequenced by the next vote or by the server's sweep (lib/audit/schedule.ts).
    await flushAuditQueue().catch((error: unknown) => console.error("Sequencing the audit queue failed:", error));
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A SQL literal for `value`, escaped by node-postgres (NULL for null). */
type Literal = (value: string | null) => string;

async function castVoteOnce(input: VoteInput, userId: string, now: Date): Promise<CastVoteResult> {
  if (!UUID.test(userId) || !UUID.test(input.datapointId)) {
    return { ok: false, reason: "NOT_FOUND", message: "This datapoint does not exist or is not published." };
  }
  const client = await pool.connect();
  const literal: Literal = (value) => (value === null ? "NULL" : client.escapeLiteral(value));
  let broken = false;
  try {
    if (!prepared.has(client)) {
      // Once per connection. A failure here leaves it unknown which statements exist, so
      // the connection is dropped rather than reused.
      broken = true;
      await client.query(PREPARE_SQL);
      prepared.add(client);
      broken = false;
    }
    const result = await castVoteIn(client, literal, input, userId, now);
    if (!result.ok || result.duplicate) await client.query("ROLLBACK");
    return result;
  } catch (error) {
    if (!broken) await client.query("ROLLBACK").catch(() => (broken = true));
    // Another user's vote with the same idempotency key committed first.
    if ((error as { code?: string; constraint?: string }).code === "23505" && /idempotency_key/.test((error as { constraint?: string }).constraint ?? "")) {
      return { ok: false, reason: "KEY_REUSED", message: "This form was already used for another vote; reload the page." };
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

type VoteContext = {
  replay_user: string | null;
  replay_datapoint: string | null;
  status: "DRAFT" | "OPEN" | "CLOSED" | "FINALIZED" | "REOPENED" | null;
  kind: "PAIRWISE" | "RATING" | "CLASSIFICATION";
  label_options: unknown;
  responses: { id: string }[];
  opens_at: Date;
  closes_at: Date;
  rationale_required: boolean;
  tally_visibility: "AFTER_OWN_VOTE" | "AFTER_CLOSE";
  existing_id: string | null;
  existing_option: string | null;
  recent: Date[];
};

/**
 * The vote's read and its write, prepared once on each pool connection (planning the read
 * cost more than running it), and run with EXECUTE. Read parameters: idempotency key,
 * datapoint, user, start of the rate-limit window, the limit. The read takes, with a fresh
 * snapshot (its statement runs after the user's lock): an earlier submit with this key, the
 * datapoint and its batch (key-share locked until commit: a decision locks the datapoint for
 * update and so waits for this vote to commit, its event queued, before it fixes the log
 * position it counts to), the user's current vote (locked, so a change is always queued
 * after the vote it changes) and the user's recent votes.
 *
 * Write parameters: event type, body and leaf hash, datapoint, vote id, user, option,
 * rationale, shown, time, history row id, idempotency key. The event goes into the audit
 * queue (its id drawn now, after the vote row's lock); the current vote and its history row
 * point at it by that id.
 */
const PREPARE_SQL = `
  PREPARE plenary_vote_read (text, uuid, uuid, timestamptz, int) AS
    WITH replay AS (SELECT user_id, datapoint_id FROM vote_history WHERE idempotency_key = $1),
         target AS (SELECT d.status::text AS status, d.kind::text AS kind, d.label_options, d.responses,
                           b.opens_at, b.closes_at, b.rationale_required, b.tally_visibility::text AS tally_visibility
                      FROM datapoints d JOIN batches b ON b.id = d.batch_id
                     WHERE d.id = $2 AND d.status <> 'DRAFT' FOR KEY SHARE OF d),
         existing AS (SELECT id, option FROM votes WHERE datapoint_id = $2 AND user_id = $3 FOR UPDATE)
    SELECT r.user_id AS replay_user, r.datapoint_id AS replay_datapoint, t.*, e.id AS existing_id, e.option AS existing_option,
           ARRAY(SELECT created_at FROM vote_history WHERE user_id = $3 AND created_at > $4 ORDER BY created_at DESC LIMIT $5) AS recent
      FROM (SELECT 1) AS one LEFT JOIN replay r ON true LEFT JOIN target t ON true LEFT JOIN existing e ON true;
  PREPARE plenary_vote_write (text, text, bytea, uuid, uuid, uuid, text, text, jsonb, timestamptz, uuid, text) AS
    WITH queued AS (
      INSERT INTO audit_queue (type, body, leaf_hash, datapoint_id) VALUES ($1, $2, $3, $4) RETURNING id
    ), vote AS (
      INSERT INTO votes (id, datapoint_id, user_id, option, rationale, shown, audit_queue_id, created_at, updated_at)
      SELECT $5, $4, $6, $7, $8, $9, queued.id, $10, $10 FROM queued
      ON CONFLICT (id) DO UPDATE SET option = EXCLUDED.option, rationale = EXCLUDED.rationale, shown = EXCLUDED.shown,
        audit_seq = NULL, audit_queue_id = EXCLUDED.audit_queue_id, updated_at = EXCLUDED.updated_at
    )
    INSERT INTO vote_history (id, datapoint_id, user_id, option, rationale, shown, idempotency_key, audit_queue_id, created_at)
    SELECT $11, $4, $6, $7, $8, $9, $12, queued.id, $10 FROM queued`;

/** Pool connections on which PREPARE_SQL has run. */
const prepared = new WeakSet<pg.PoolClient>();

/**
 * The transaction in two round trips. Each sends several statements at once (PostgreSQL's
 * simple query protocol, which takes no parameters), so EXECUTE's arguments are literals
 * escaped by node-postgres; ids are checked to be UUIDs first.
 */
async function castVoteIn(client: pg.PoolClient, literal: Literal, input: VoteInput, userId: string, now: Date): Promise<CastVoteResult> {
  const { max, windowSeconds } = RATE_LIMITS.vote;
  const datapointId = `${literal(input.datapointId)}::uuid`;
  const user = `${literal(userId)}::uuid`;
  const since = `${literal(new Date(now.getTime() - windowSeconds * 1000).toISOString())}::timestamptz`;
  // First: begin, and take the user's lock (the rate limit's, held to commit), so the user's
  // votes run one at a time from here: a replayed submit is recognised before it touches
  // the vote row, and a burst cannot slip past the limit between one count and its insert.
  // Then the read.
  const opened = (await client.query(
    `BEGIN;
     SELECT pg_advisory_xact_lock(hashtextextended(${literal(rateLimitLockKey("vote", userId))}, 0));
     EXECUTE plenary_vote_read (${literal(input.idempotencyKey)}, ${datapointId}, ${user}, ${since}, ${max})`,
  )) as unknown as pg.QueryResult<VoteContext>[];
  const rows = opened[2]!.rows;
  const context = rows[0]!;
  if (context.replay_user !== null) {
    if (context.replay_user !== userId || context.replay_datapoint !== input.datapointId || context.existing_id === null) {
      return { ok: false, reason: "KEY_REUSED", message: "This form was already used for another vote; reload the page." };
    }
    return { ok: true, voteId: context.existing_id, changed: false, duplicate: true };
  }
  if (context.status === null) return { ok: false, reason: "NOT_FOUND", message: "This datapoint does not exist or is not published." };
  const batch = { opensAt: context.opens_at, closesAt: context.closes_at };
  const state = votingState(context.status, batch, now);
  if (!state.open) return { ok: false, reason: state.reason, message: state.message };
  if (!isValidOption(context.kind, context.label_options, input.option)) {
    return { ok: false, reason: "INVALID_OPTION", message: "That is not one of this datapoint's options." };
  }
  if (context.rationale_required && !input.rationale) {
    return { ok: false, reason: "RATIONALE_REQUIRED", message: "This batch asks for a rationale with every vote." };
  }
  const limit = rateLimitVerdict("vote", context.recent, now);
  if (!limit.ok) return { ok: false, reason: limit.reason, message: limit.message };

  const existing = context.existing_id === null ? null : { id: context.existing_id, option: context.existing_option! };
  const shown: Shown = {
    order: responseOrder(userId, input.datapointId, context.responses.map((r) => r.id)),
    proposedLabelVisible: true,
    // A first vote is always cast blind; a change is made after the tally may have been seen.
    tallyVisible: existing ? tallyVisibleTo(context.tally_visibility, true, true) : false,
  };
  const voteId = existing?.id ?? randomUUID();
  const common = {
    // The event's time is the vote's time, so a tally from the log matches one from the tables.
    at: now.toISOString(),
    actorId: userId,
    voteId,
    datapointId: input.datapointId,
    option: input.option,
    rationaleHash: input.rationale ? sha256Hex(input.rationale) : null,
    shown,
  };
  const queued = prepareEvent(
    existing ? { ...common, type: "vote.changed", previousOption: existing.option } : { ...common, type: "vote.cast" },
  );
  // Second: the write and the commit.
  const at = `${literal(now.toISOString())}::timestamptz`;
  const shownJson = `${literal(JSON.stringify(shown))}::jsonb`;
  await client.query(
    `EXECUTE plenary_vote_write (${literal(queued.event.type)}, ${literal(queued.body)}, decode('${Buffer.from(queued.leafHash).toString("hex")}', 'hex'),
       ${datapointId}, ${literal(voteId)}::uuid, ${user}, ${literal(input.option)}, ${literal(input.rationale)}, ${shownJson}, ${at},
       ${literal(uuidv7(now.getTime()))}::uuid, ${literal(input.idempotencyKey)});
     COMMIT`,
  );
  return { ok: true, voteId, changed: !!existing, duplicate: false };
}
