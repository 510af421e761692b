import { randomUUID } from "node:crypto";
import type { Shown } from "@/lib/audit/events";
import { sha256Hex } from "@/lib/audit/hash";
import { flushAuditQueue } from "@/lib/audit/mutations";
import type { SessionCheck } from "@/lib/auth/data";
import { prepareEvent } from "@/lib/audit/sequencer";
import { Batcher } from "@/lib/database/batcher";
import { pool, statementName } from "@/lib/db";
import { uuidv7 } from "@/lib/database/uuid";
import { env } from "@/lib/env";
import { BoundedMap } from "@/lib/runtime/bounded-map";
import { RATE_LIMITS, rateLimitLockKey, rateLimitVerdict } from "@/lib/limits/rules";
import { isValidOption, responseOrder, tallyVisibleTo, votingState } from "./rules";
import type { VoteInput } from "./schema";

export type CastVoteResult =
  | { ok: true; voteId: string; changed: boolean; duplicate: boolean }
  | {
      ok: false;
      reason:
        | "NOT_FOUND"
        | "NOT_OPEN_YET"
        | "VOTING_CLOSED"
        | "FINALIZED"
        | "INVALID_OPTION"
        | "RATIONALE_REQUIRED"
        | "RATE_LIMITED"
        | "KEY_REUSED"
        | "SIGNED_OUT";
      message: string;
    };

/**
 * Cast or change the user's vote. One transaction writes the current vote, its history
 * row and its audit event, which it queues rather than waiting for the log's sequencing
 * lock (lib/audit/sequencer.ts). The vote is acknowledged once that transaction commits,
 * as a Certificate Transparency log answers a submission before it merges the entry: the
 * queued event is sequenced in the background together with the other votes committed
 * meanwhile (flushAuditQueue waits for that). A replayed idempotency key returns the first
 * outcome and writes nothing.
 *
 * Votes come in floods, so this path talks to PostgreSQL through the pg pool under Prisma
 * (lib/db.ts) in one round trip: the vote is checked here against the datapoint as last
 * read (kept per process) and the vote it is expected to replace (none, at first), and
 * plenary_cast_vote (migration `…_cast_vote_function`, replaced whole by `…_vote_session_check`) re-checks both under the user's lock
 * and writes only if they still hold; if not, this looks again and retries. Votes that
 * arrive together share that round trip and its commit (`casting` below).
 *
 * With `session`, the vote is written only if that session is still the user's (there,
 * unexpired, the user not deleted), checked in the same statement, which also extends the
 * session when due: SIGNED_OUT otherwise. The vote API passes the request's session this way
 * with the user it was last found to belong to, instead of reading it first. Only a vote
 * written is proof the session held: a refusal or a replay can be answered before the check.
 */
export async function castVote(
  input: VoteInput,
  userId: string,
  { now = new Date(), session }: { now?: Date; session?: SessionCheck } = {},
): Promise<CastVoteResult> {
  const result = await castVoteOnce(input, userId, now, session);
  if (result.ok && !result.duplicate) {
    // The vote and its queued event are committed: the vote is acknowledged now, and its
    // event is sequenced in the background, with the others committed meanwhile. One left
    // queued by a failure is sequenced by the next vote or by the server's sweep
    // (lib/audit/schedule.ts); anyone who takes the log's head lock sequences it first.
    void flushAuditQueue().catch((error: unknown) => console.error("Sequencing the audit queue failed:", error));
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = {
  ok: false,
  reason: "NOT_FOUND",
  message: "This datapoint does not exist or is not published.",
} as const;
const SIGNED_OUT = { ok: false, reason: "SIGNED_OUT", message: "Sign in to vote." } as const;
const KEY_REUSED = {
  ok: false,
  reason: "KEY_REUSED",
  message: "This form was already used for another vote; reload the page.",
} as const;

/** What a vote is checked against: a published datapoint and its batch. */
type Target = {
  status: "OPEN" | "CLOSED" | "FINALIZED" | "REOPENED";
  kind: "PAIRWISE" | "RATING" | "CLASSIFICATION";
  label_options: unknown;
  responses: { id: string }[];
  opens_at: Date;
  closes_at: Date;
  rationale_required: boolean;
  tally_visibility: "AFTER_OWN_VOTE" | "AFTER_CLOSE";
};

/**
 * Datapoints as last read by this process, by id. Their content (kind, options, responses,
 * opening time, rationale rule, tally visibility) does not change once imported; status and
 * closing time do, and plenary_cast_vote refuses a vote checked against old ones.
 */
const targets = new BoundedMap<string, Target>(10_000);

async function readTarget(datapointId: string): Promise<Target | null> {
  const { rows } = await pool.query<Target>({
    name: statementName("plenary_vote_target"),
    text: `SELECT d.status::text AS status, d.kind::text AS kind, d.label_options, d.responses,
                  b.opens_at, b.closes_at, b.rationale_required, b.tally_visibility::text AS tally_visibility
             FROM datapoints d JOIN batches b ON b.id = d.batch_id
            WHERE d.id = $1 AND d.status <> 'DRAFT'`,
    values: [datapointId],
  });
  targets.delete(datapointId);
  if (!rows[0]) return null;
  // Only the responses' ids are needed (for the order shown), not their texts.
  const target = { ...rows[0], responses: rows[0].responses.map((r) => ({ id: r.id })) };
  targets.set(datapointId, target);
  return target;
}

/**
 * The current vote of each user on each datapoint as this process last wrote it, by
 * "user/datapoint": a change offers it as the vote it replaces, and is written in one call
 * instead of two (the first only learning the current vote). A hint only: plenary_cast_vote
 * checks it under the user's lock and answers 'existing' if another process changed it.
 */
const currentVotes = new BoundedMap<string, { id: string; option: string }>(50_000);

type Outcome = {
  outcome: "replay" | "stale" | "existing" | "limited" | "signed_out" | "ok";
  replay_user: string | null;
  replay_datapoint: string | null;
  existing_id: string | null;
  existing_option: string | null;
  recent: Date[] | null;
};

/**
 * One vote statement, by the names of plenary_cast_vote's parameters (p_<name>; migration
 * `…_vote_session_check`), which plenary_cast_votes takes as arrays of the same names: the
 * vote and its checks, the queued audit event, and the session to check when the route
 * passes one.
 */
type VoteStatement = {
  /** The user's advisory lock, which the vote limit is counted under. */
  lock_key: string;
  key: string;
  datapoint: string;
  user: string;
  /** The vote limit: at most `max` of the user's votes since `since`. */
  since: Date;
  max: number;
  /** The datapoint as the vote was checked against it; the statement refuses if it changed. */
  status: string;
  opens_at: Date;
  closes_at: Date;
  rationale_required: boolean;
  tally_visibility: string;
  /** The current vote it replaces, as last read (null: the first vote). */
  existing_id: string | null;
  existing_option: string | null;
  /** The audit event, prepared: type, canonical body and leaf hash. */
  type: string;
  body: string;
  leaf: Buffer;
  vote_id: string;
  option: string;
  rationale: string | null;
  shown: string;
  at: Date;
  history_id: string;
  session: string | null;
  session_renew_before: Date | null;
  session_renew_to: Date | null;
};

/** The statement's parameters in the order the SQL below numbers them, with their types. */
const PARAMETERS: [keyof VoteStatement, string][] = [
  ["lock_key", "text"],
  ["key", "text"],
  ["datapoint", "uuid"],
  ["user", "uuid"],
  ["since", "timestamptz"],
  ["max", "int"],
  ["status", "text"],
  ["opens_at", "timestamptz"],
  ["closes_at", "timestamptz"],
  ["rationale_required", "boolean"],
  ["tally_visibility", "text"],
  ["existing_id", "uuid"],
  ["existing_option", "text"],
  ["type", "text"],
  ["body", "text"],
  ["leaf", "bytea"],
  ["vote_id", "uuid"],
  ["option", "text"],
  ["rationale", "text"],
  ["shown", "jsonb"],
  ["at", "timestamptz"],
  ["history_id", "uuid"],
  ["session", "text"],
  ["session_renew_before", "timestamptz"],
  ["session_renew_to", "timestamptz"],
];
// Named notation (p_name => $n): PostgreSQL matches each value to its parameter by name.
const CAST_SQL = `SELECT * FROM plenary_cast_vote(${PARAMETERS.map(([name], i) => `p_${name} => $${i + 1}`).join(", ")})`;
const CAST_MANY_SQL = `SELECT * FROM plenary_cast_votes(${PARAMETERS.map(([name, type], i) => `p_${name} => $${i + 1}::${type}[]`).join(", ")})`;
const valuesOf = (statement: VoteStatement) => PARAMETERS.map(([name]) => statement[name]);

/**
 * The votes' statements, grouped (lib/database/batcher.ts): votes that arrive while earlier
 * ones are being written go together through plenary_cast_votes (migration
 * `…_cast_votes_batch`), one transaction for the group, each vote with its own outcome.
 * A third of the pool's connections write votes at once at most, which keeps the groups
 * large under a flood and leaves the rest of the pool to pages; one vote per user per group.
 */
const casting = new Batcher<VoteStatement, Outcome>({
  inFlight: Math.max(1, Math.ceil(env().PLENARY_DB_POOL / 3)),
  maxBatch: 64,
  keyOf: (statement) => statement.lock_key,
  runOne: async (statement) =>
    (
      await pool.query<Outcome>({
        name: statementName("plenary_cast_vote"),
        text: CAST_SQL,
        values: valuesOf(statement),
      })
    ).rows[0]!,
  runMany: async (statements) => {
    const columns = statements.map(valuesOf);
    const { rows } = await pool.query<Outcome & { ord: string }>({
      name: statementName("plenary_cast_votes"),
      text: CAST_MANY_SQL,
      values: PARAMETERS.map((_, i) => columns.map((values) => values[i])),
    });
    // In array order already (ORDER BY ord); a missing row shows as a short answer.
    const answers: Outcome[] = [];
    for (const row of rows) answers[Number(row.ord) - 1] = row;
    return answers.filter(Boolean);
  },
});

/** Groups of votes written and the votes in them, for the benchmarks. */
export const castingStats = casting.stats;

/**
 * Rounds before giving up on a vote whose datapoint or current vote keeps changing under it.
 * The current vote only changes under a vote of the same user, each of which counts towards
 * the vote limit, which plenary_cast_vote checks first: a burst of one user's votes on one
 * datapoint can send a vote back at most once per vote the limit lets through.
 */
const ATTEMPTS = RATE_LIMITS.vote.max + 5;

async function castVoteOnce(
  input: VoteInput,
  userId: string,
  now: Date,
  session: SessionCheck | undefined,
): Promise<CastVoteResult> {
  if (!UUID.test(userId) || !UUID.test(input.datapointId)) return NOT_FOUND;
  const { max, windowSeconds } = RATE_LIMITS.vote;
  const since = new Date(now.getTime() - windowSeconds * 1000);
  const kept = targets.get(input.datapointId);
  let target = kept ?? (await readTarget(input.datapointId));
  let fresh = !kept;
  const mine = `${userId}/${input.datapointId}`;
  let existing = currentVotes.get(mine) ?? null;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    // A refusal is only given on a fresh read of the datapoint, and not to a replayed
    // submit, which gets its first outcome even once voting has closed.
    let refusal = target ? refuse(target, input, now) : NOT_FOUND;
    if (refusal && !fresh) {
      target = await readTarget(input.datapointId);
      fresh = true;
      refusal = target ? refuse(target, input, now) : NOT_FOUND;
    }
    if (refusal) return (await replayOf(input, userId)) ?? refusal;
    const checked = target!;

    const shown: Shown = {
      order: responseOrder(
        userId,
        input.datapointId,
        checked.responses.map((r) => r.id),
      ),
      proposedLabelVisible: true,
      // A first vote is always cast blind; a change is made after the tally may have been seen.
      tallyVisible: existing ? tallyVisibleTo(checked.tally_visibility, true, true) : false,
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
      existing
        ? { ...common, type: "vote.changed", previousOption: existing.option }
        : { ...common, type: "vote.cast" },
    );
    let row: Outcome;
    try {
      row = await casting.run({
        lock_key: rateLimitLockKey("vote", userId),
        key: input.idempotencyKey,
        datapoint: input.datapointId,
        user: userId,
        since,
        max,
        status: checked.status,
        opens_at: checked.opens_at,
        closes_at: checked.closes_at,
        rationale_required: checked.rationale_required,
        tally_visibility: checked.tally_visibility,
        existing_id: existing?.id ?? null,
        existing_option: existing?.option ?? null,
        type: queued.event.type,
        body: queued.body,
        leaf: Buffer.from(queued.leafHash),
        vote_id: voteId,
        option: input.option,
        rationale: input.rationale,
        shown: JSON.stringify(shown),
        at: now,
        history_id: uuidv7(now.getTime()),
        session: session?.token ?? null,
        session_renew_before: session?.renewBefore ?? null,
        session_renew_to: session?.renewTo ?? null,
      });
    } catch (error) {
      // Another user's vote with the same idempotency key committed first.
      if (
        (error as { code?: string }).code === "23505" &&
        /idempotency_key/.test((error as { constraint?: string }).constraint ?? "")
      )
        return KEY_REUSED;
      throw error;
    }
    switch (row.outcome) {
      case "ok":
        currentVotes.set(mine, { id: voteId, option: input.option });
        return { ok: true, voteId, changed: !!existing, duplicate: false };
      case "replay":
        return replayed(row, input, userId);
      case "signed_out":
        return SIGNED_OUT;
      case "limited": {
        const limit = rateLimitVerdict("vote", row.recent ?? [], now);
        if (limit.ok) throw new Error("plenary_cast_vote and rateLimitVerdict disagree on the vote limit");
        return { ok: false, reason: limit.reason, message: limit.message };
      }
      case "stale":
        target = await readTarget(input.datapointId);
        fresh = true;
        break;
      case "existing":
        existing = row.existing_id === null ? null : { id: row.existing_id, option: row.existing_option! };
        currentVotes.delete(mine);
        break;
    }
  }
  throw new Error(`The vote on ${input.datapointId} kept meeting changes; it was not recorded.`);
}

type Replay = Pick<Outcome, "replay_user" | "replay_datapoint" | "existing_id">;

/** The answer to a submit whose idempotency key was used before. */
function replayed(row: Replay, input: VoteInput, userId: string): CastVoteResult {
  if (row.replay_user !== userId || row.replay_datapoint !== input.datapointId || row.existing_id === null)
    return KEY_REUSED;
  return { ok: true, voteId: row.existing_id, changed: false, duplicate: true };
}

/** The answer to this submit if its idempotency key was used before, else null. */
async function replayOf(input: VoteInput, userId: string): Promise<CastVoteResult | null> {
  const { rows } = await pool.query<Replay>({
    name: statementName("plenary_vote_replay"),
    text: `SELECT h.user_id AS replay_user, h.datapoint_id AS replay_datapoint, v.id AS existing_id
             FROM vote_history h LEFT JOIN votes v ON v.user_id = h.user_id AND v.datapoint_id = h.datapoint_id
            WHERE h.idempotency_key = $1`,
    values: [input.idempotencyKey],
  });
  return rows[0] ? replayed(rows[0], input, userId) : null;
}

/** Why a vote on `target` is refused now, or null if it is not. */
function refuse(target: Target, input: VoteInput, now: Date): Extract<CastVoteResult, { ok: false }> | null {
  const state = votingState(target.status, { opensAt: target.opens_at, closesAt: target.closes_at }, now);
  if (!state.open) return { ok: false, reason: state.reason, message: state.message };
  if (!isValidOption(target.kind, target.label_options, input.option)) {
    return { ok: false, reason: "INVALID_OPTION", message: "That is not one of this datapoint's options." };
  }
  if (target.rationale_required && !input.rationale) {
    return { ok: false, reason: "RATIONALE_REQUIRED", message: "This batch asks for a rationale with every vote." };
  }
  return null;
}
