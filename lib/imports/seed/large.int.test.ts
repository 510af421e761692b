// The large seed at a small scale, on a database that already holds the demo seed: the log
// it appends verifies, every row has its event as the services write them, votes are valid,
// and a release exported by `npm run export` verifies with `npm run verify`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { enqueueEvent } from "@/lib/audit/sequencer";
import { parseDatabaseUrl } from "@/lib/database/connection";
import { isValidOption } from "@/lib/votes/rules";
import { db } from "@/lib/db";
import { signWithTestCheckpointKey, temporaryDir } from "@/lib/exports/fixtures";
import { seedDemo } from "./mutations";
import { seedLarge, type LargeSeedReport } from "./large";
import { largeSeedOptions, SCALES } from "./large-options";

signWithTestCheckpointKey("plenary.large-seed-test/log");
const root = temporaryDir("plenary-large-seed-");
const connection = () => parseDatabaseUrl(process.env.DATABASE_URL!);
let before: bigint;
let report: LargeSeedReport;

function cli(script: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", env: process.env });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);

beforeAll(async () => {
  await seedDemo();
  before = (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
  // An event a running site queued and has not sequenced yet: it is logged first.
  await db.$transaction((tx) => {
    const userId = crypto.randomUUID();
    return enqueueEvent(tx, { type: "user.renamed", actorId: userId, userId, nameHash: null });
  });
  report = await seedLarge(largeSeedOptions(SCALES.small, { decisions: 3, chunkEvents: 1_000 }), connection());
}, 120_000);

describe("seed:large", () => {
  it("appends a valid chain after the existing head, with signed checkpoints and decisions", async () => {
    expect(before).toBeGreaterThan(0n);
    const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(head.lastSeq).toBe(report.headSeq);
    // The bulk, then the batches' closing and the decisions, all through the same head.
    expect(Number(report.headSeq - before)).toBeGreaterThanOrEqual(report.events + 1 + report.decisions);
    expect(report).toMatchObject({
      users: 200,
      datapoints: 50,
      votes: 2_000,
      voteChanges: 100,
      comments: 300,
      commentEdits: 15,
      decisions: 3,
    });
    const verified = await verifyStoredLog();
    expect(verified.problems).toEqual([]);
    expect(verified.count).toBe(Number(head.lastSeq));
    expect(Buffer.from(verified.head).equals(Buffer.from(head.chainHash))).toBe(true);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { seq: before + 1n } })).type).toBe("user.renamed");
    expect(await count(`SELECT count(*) n FROM audit_queue`)).toBe(0);
    const latest = await db.checkpoint.findFirstOrThrow({ orderBy: { treeSize: "desc" } });
    expect(latest.treeSize).toBe(head.lastSeq);
    expect(report.checkpoints).toBeGreaterThanOrEqual(3 + 3);
  });

  it("gives every row its event, as the services write them", async () => {
    const after = `e.seq > ${before}`;
    // One event per row made; the event's datapoint_id column is copied out of its body.
    expect(await count(`SELECT count(*) n FROM audit_events e WHERE ${after} AND e.type = 'user.created'`)).toBe(
      200 + 2,
    );
    expect(
      await count(
        `SELECT count(*) n FROM audit_events e WHERE ${after} AND e.datapoint_id IS DISTINCT FROM (e.body::jsonb ->> 'datapointId')::uuid`,
      ),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) n FROM users u JOIN audit_events e ON e.type = 'user.created' AND e.body::jsonb ->> 'userId' = u.id::text
      AND e.body::jsonb ->> 'pseudonym' = u.pseudonym AND (e.body::jsonb ->> 'at')::timestamptz = u.created_at WHERE ${after}`),
    ).toBe(202);
    expect(
      await count(`SELECT count(*) n FROM datapoints d JOIN audit_events e ON e.type = 'datapoint.published' AND e.datapoint_id = d.id
      AND e.body::jsonb ->> 'contentHash' = d.content_hash WHERE ${after}`),
    ).toBe(50);
    // Votes and their history point at their own events, with the same option and time.
    expect(
      await count(`SELECT count(*) n FROM votes v JOIN audit_events e ON e.seq = v.audit_seq AND e.body::jsonb ->> 'voteId' = v.id::text
      AND e.body::jsonb ->> 'option' = v.option AND (e.body::jsonb ->> 'at')::timestamptz = v.updated_at WHERE ${after}`),
    ).toBe(2_000);
    expect(
      await count(`SELECT count(*) n FROM vote_history h JOIN audit_events e ON e.seq = h.audit_seq AND e.body::jsonb ->> 'option' = h.option
      AND e.body::jsonb ->> 'actorId' = h.user_id::text AND (e.body::jsonb -> 'shown') = h.shown WHERE ${after}`),
    ).toBe(2_100);
    // Comments: each version has its event with the body's hash; edited comments show the last.
    expect(
      await count(`SELECT count(*) n FROM comment_versions v JOIN audit_events e ON e.body::jsonb ->> 'commentId' = v.comment_id::text
      AND e.body::jsonb ->> 'bodyHash' = v.body_hash AND coalesce((e.body::jsonb ->> 'version')::int, 1) = v.version WHERE ${after}`),
    ).toBe(315);
    expect(
      await count(`SELECT count(*) n FROM comments c JOIN comment_versions v ON v.comment_id = c.id AND v.version = c.current_version AND v.body = c.body
      WHERE c.datapoint_id IN (SELECT datapoint_id FROM audit_events e WHERE ${after} AND e.type = 'datapoint.published')`),
    ).toBe(300);
  });

  it("casts valid votes only while their batch is open, and changes some", async () => {
    const late =
      await count(`SELECT count(*) n FROM vote_history h JOIN datapoints d ON d.id = h.datapoint_id JOIN batches b ON b.id = d.batch_id
      WHERE h.created_at < b.opens_at OR h.created_at >= b.closes_at OR h.created_at < d.created_at`);
    expect(late).toBe(0);
    const pairs = await db.$queryRaw<
      { kind: "PAIRWISE" | "RATING" | "CLASSIFICATION"; label_options: unknown; option: string }[]
    >`
      SELECT DISTINCT d.kind, d.label_options, h.option FROM vote_history h JOIN datapoints d ON d.id = h.datapoint_id`;
    expect(pairs.filter((p) => !isValidOption(p.kind, p.label_options, p.option))).toEqual([]);
    const changes = await db.$queryRaw<{ option: string; previous: string }[]>`
      SELECT body::jsonb ->> 'option' AS option, body::jsonb ->> 'previousOption' AS previous FROM audit_events WHERE type = 'vote.changed'`;
    expect(changes.length).toBe(100);
    expect(changes.every((c) => c.option !== c.previous)).toBe(true);
  });

  it("exports a release that `npm run verify` verifies, decisions recomputed", async () => {
    const dir = path.join(root, "release");
    const exported = cli("scripts/export.ts", dir);
    expect(exported.err).toBe("");
    expect(exported.code).toBe(0);
    const verified = cli("scripts/verify.ts", dir);
    expect(verified.code).toBe(0);
    const match = verified.out.match(
      /^VERIFIED: .*; (\d+) events, cut at the signed checkpoint of size \d+, (\d+) signed checkpoints, (\d+) decisions recomputed, every file rebuilt from the log\.$/m,
    );
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(Number(report.headSeq));
    expect(Number(match![3])).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it("appends again after its own history", async () => {
    const second = await seedLarge(
      largeSeedOptions({ datapoints: 5, users: 10, votes: 20, comments: 5 }, { decisions: 0 }),
      connection(),
    );
    expect(second.headSeq).toBeGreaterThan(report.headSeq);
    expect((await verifyStoredLog()).problems).toEqual([]);
  });

  it("refuses a database that is not the embedded one without --yes", () => {
    const run = cli("scripts/seed-large.ts", "--datapoints", "1", "--users", "1", "--votes", "0", "--comments", "0");
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/not the embedded database.*--yes/s);
  });
});
