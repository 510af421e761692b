// `npm run seed:large`: a large synthetic history appended to the log in bulk. Policies,
// moderators, batch closing, decisions and checkpoints go through the real services; the
// bulk — users, datapoints, votes, comments and their audit events — is written with COPY,
// a chunk per transaction, with rows and events made exactly as the services make them
// (lib/imports/seed/large-chunk.ts). Each chunk takes the log's sequencing lock like appendEvent,
// continues the chain from the head, advances the head through its trigger, and is
// followed by a signed checkpoint (createCheckpoint), so the log is valid after every chunk.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { PgConnection } from "@/lib/database/connection";
import { sequenceQueueWith } from "@/lib/audit/sequencer";
import { createCheckpoint } from "@/lib/checkpoints/mutations";
import { db } from "@/lib/db";
import { finalizeDecision } from "@/lib/decisions/mutations";
import { advanceLifecycle } from "@/lib/batches/lifecycle/mutations";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { createUserIn, grantRoleIn } from "@/lib/users/mutations";
import { chunkRows, type Policies } from "./large-chunk";
import type { LargeSeedOptions } from "./large-options";
import { LargeWorld, type Action } from "./large-plan";
import { EventChain, type CopyTable } from "./large-rows";

export type LargeSeedReport = {
  events: number;
  users: number;
  batches: number;
  datapoints: number;
  votes: number;
  voteChanges: number;
  comments: number;
  commentEdits: number;
  closedDatapoints: number;
  decisions: number;
  checkpoints: number;
  headSeq: bigint;
  seconds: number;
};

export type Progress = (done: number, total: number) => void;

const POLICIES_DIR = path.resolve("prisma/seed/policies");
const DECISION_RATIONALE =
  "The tally meets the policy's quorum and margin, and the discussion raised nothing that changes it.";

export async function seedLarge(
  options: LargeSeedOptions,
  connection: PgConnection,
  onProgress: Progress = () => {},
  now = Date.now(),
): Promise<LargeSeedReport> {
  const started = performance.now();
  const policies = await ensurePolicies();
  const moderators = options.decisions > 0 ? await createModerators() : [];
  const taken = new Set((await db.user.findMany({ select: { pseudonym: true } })).map((u) => u.pseudonym));
  const world = new LargeWorld(options);
  const report: LargeSeedReport = {
    events: 0,
    users: 0,
    batches: 0,
    datapoints: 0,
    votes: 0,
    voteChanges: 0,
    comments: 0,
    commentEdits: 0,
    closedDatapoints: 0,
    decisions: 0,
    checkpoints: 0,
    headSeq: 0n,
    seconds: 0,
  };
  const total = world.totalEvents;
  const checkpointsBefore = await db.checkpoint.count();

  const client = new pg.Client(connection);
  await client.connect();
  try {
    for (const actions of world.chunks(now, taken)) {
      report.events += await writeChunk(client, world, actions, policies);
      count(report, actions);
      await createCheckpoint();
      onProgress(report.events, total);
    }
  } finally {
    await client.end();
  }

  // The scheduler's step: batches whose closing time has passed close, with their event.
  const lifecycle = await advanceLifecycle(new Date());
  report.closedDatapoints = lifecycle.closed;
  report.decisions = await decide(world, moderators, options.decisions);
  await createCheckpoint();
  report.checkpoints = (await db.checkpoint.count()) - checkpointsBefore;
  report.headSeq = (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** One chunk in one transaction: its rows, its events, and the head moved to its last event. */
async function writeChunk(
  client: pg.Client,
  world: LargeWorld,
  actions: Action[],
  policies: Policies,
): Promise<number> {
  await client.query("BEGIN");
  try {
    // The lock appendEvent takes: no other append interleaves with this chunk.
    const { rows } = await client.query<{ last_seq: string; chain_hash: Buffer }>(
      "SELECT last_seq, chain_hash FROM audit_head WHERE id = 1 FOR UPDATE",
    );
    if (!rows[0]) throw new Error("audit_head is missing: run the migrations");
    // Votes a running site queued meanwhile are logged first, as appendEvent does.
    const head = await sequenceQueueWith(async (sql) => (await client.query(sql)).rows, {
      lastSeq: BigInt(rows[0].last_seq),
      chainHash: rows[0].chain_hash,
    });
    const from = head.lastSeq;
    const chain = new EventChain(from, Buffer.from(head.chainHash));
    const built = chunkRows(world, actions, chain, policies);
    for (const table of built.inserts) await copyIn(client, table);
    await applyUpdates(
      client,
      built.voteUpdates,
      `
      UPDATE votes v SET option = u.option, rationale = u.rationale, shown = u.shown, audit_seq = u.audit_seq, updated_at = u.updated_at
        FROM seed_vote_updates u WHERE v.id = u.id`,
      "id uuid, option text, rationale text, shown jsonb, audit_seq bigint, updated_at timestamptz",
    );
    await applyUpdates(
      client,
      built.commentUpdates,
      `
      UPDATE comments c SET body = u.body, current_version = u.current_version, edited_at = u.edited_at
        FROM seed_comment_updates u WHERE c.id = u.id`,
      "id uuid, body text, current_version int, edited_at timestamptz",
    );
    await advanceHead(client, from, chain.seq, chain.head);
    await client.query("COMMIT");
    return built.events;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function copyIn(client: pg.Client, table: CopyTable): Promise<void> {
  if (table.rows === 0) return;
  await pipeline(Readable.from([Buffer.from(table.text(), "utf8")]), client.query(copyFrom(table.sql)));
}

/** Updates of rows made by earlier chunks: COPY into a temporary table, then one UPDATE … FROM. */
async function applyUpdates(client: pg.Client, table: CopyTable, update: string, columns: string): Promise<void> {
  if (table.rows === 0) return;
  await client.query(`CREATE TEMPORARY TABLE ${table.table} (${columns}) ON COMMIT DROP`);
  await copyIn(client, table);
  const { rowCount } = await client.query(update);
  if (rowCount !== table.rows) throw new Error(`${table.table}: updated ${rowCount} rows of ${table.rows}`);
}

/**
 * Moves audit_head from `from` to `to` through its trigger (plenary_audit_head_step), which
 * admits one step per UPDATE: every step but the last in one server-side loop (addressing
 * the row by ctid, as an index lookup would walk the growing chain of row versions), then
 * the last step with the chunk's final chain hash. No trigger is bypassed (what a step
 * costs: BENCHMARKS.md, "The data"), and readers of the head are never blocked (an ALTER
 * TABLE … DISABLE TRIGGER would take an exclusive lock on audit_head and need the table's
 * owner).
 */
async function advanceHead(client: pg.Client, from: bigint, to: bigint, head: Uint8Array): Promise<void> {
  const steps = to - from;
  if (steps <= 0n) return;
  if (steps > 1n) {
    await client.query(`DO $$
      DECLARE row_id tid;
      BEGIN
        SELECT ctid INTO row_id FROM audit_head WHERE id = 1;
        FOR i IN 1..${steps - 1n} LOOP
          UPDATE audit_head SET last_seq = last_seq + 1 WHERE ctid = row_id RETURNING ctid INTO row_id;
        END LOOP;
      END $$`);
  }
  const { rowCount } = await client.query(
    "UPDATE audit_head SET last_seq = $1, chain_hash = $2 WHERE id = 1 AND last_seq = $3",
    [to.toString(), Buffer.from(head), (to - 1n).toString()],
  );
  if (rowCount !== 1) throw new Error("audit_head did not reach the chunk's last event");
}

function count(report: LargeSeedReport, actions: Action[]): void {
  for (const action of actions) {
    if (action.type === "user") report.users++;
    else if (action.type === "batch") report.batches++;
    else if (action.type === "datapoint") report.datapoints++;
    else if (action.type === "vote" && action.previous === null) report.votes++;
    else if (action.type === "vote") report.voteChanges++;
    else if (action.type === "comment") report.comments++;
    else report.commentEdits++;
  }
}

/** The shipped equal and trust-tier policies (published through the service when missing). */
async function ensurePolicies(): Promise<Policies> {
  await db.$transaction(async (tx) => {
    for (const name of ["equal-v2.json", "trust-tier-v2.json"]) {
      const document = policyDocumentSchema.parse(JSON.parse(readFileSync(path.join(POLICIES_DIR, name), "utf8")));
      // VERSION_TAKEN: another document of that name is published; batches use the newest, as imports do.
      await publishPolicyIn(tx, document, null);
    }
  });
  const newest = async (name: string) => {
    const policy = await db.votingPolicy.findFirst({
      where: { name },
      orderBy: { version: "desc" },
      select: { id: true, contentHash: true },
    });
    if (!policy) throw new Error(`no published voting policy is named "${name}"`);
    return policy;
  };
  return { equal: await newest("equal"), "trust-tier": await newest("trust-tier") };
}

/** Two moderators who take no part in the synthetic votes or discussion, so none is recused. */
async function createModerators(): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const user = await createUserIn(tx, { email: null, name: null, verificationTier: 2 }, null);
      await grantRoleIn(tx, user.id, "MODERATOR", null);
      ids.push(user.id);
    }
    return ids;
  });
}

/** Accepts the tally of up to `wanted` closed datapoints through the decision service. */
async function decide(world: LargeWorld, moderators: string[], wanted: number): Promise<number> {
  if (wanted === 0 || moderators.length === 0) return 0;
  const closed = await db.datapoint.findMany({
    where: { batchId: { in: world.batches.map((b) => b.id) }, status: "CLOSED" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  let decided = 0;
  for (const { id } of closed) {
    if (decided >= wanted) break;
    const result = await finalizeDecision(
      { mode: "accept", datapointId: id, rationale: DECISION_RATIONALE },
      moderators[decided % moderators.length]!,
    );
    if (result.ok) decided++;
    else if (result.reason !== "NO_OUTCOME") throw new Error(`deciding ${id}: ${result.message}`);
  }
  return decided;
}
