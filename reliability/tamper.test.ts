// Tampering with the running system's audit log: PostgreSQL refuses to change an event, and a
// body changed behind its back (trigger disabled) is caught, by seq, both by the server-side
// verifier and by the offline verifier run against the live release URL.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, startApp, type App } from "./app";
import { expectChainValid, expectGaplessLog, expectQueueDrained } from "./checks";
import { startDatabase, type TestDatabase } from "./database";
import { Ledger, ballot, makeVoters, newVote, postVote, services, type Services } from "./voters";

let database: TestDatabase;
let app: App;
let s: Services;
/** The seq of a vote.cast event to tamper with, and the option it records. */
let target: { seq: number; option: string };

beforeAll(async () => {
  database = await startDatabase();
  // Sign checkpoints every second, so the release URL covers the votes below at once.
  app = await startApp(database, { env: { PLENARY_CHECKPOINT_EVERY_SECONDS: "1" } });
  s = await services(database);
  const batch = await s.makeBatch();
  const ledger = new Ledger();
  const pairwise = ballot(batch)[0]!;
  for (const voter of await makeVoters(s, 5)) {
    const vote = newVote(pairwise.datapointId, "A");
    ledger.record(voter, vote, await postVote(app.url, voter, vote));
  }
  expect(ledger.acks.length, ledger.summary()).toBe(5);
  await expectQueueDrained(database);
  const { rows } = await database.sql.query<{ seq: string }>(
    `SELECT plenary_event_seq(audit_seq, audit_queue_id)::text AS seq FROM vote_history WHERE idempotency_key = $1`,
    [ledger.acks[2]!.idempotencyKey],
  );
  target = { seq: Number(rows[0]!.seq), option: "A" };
});

afterAll(async () => {
  await app?.dispose();
  await s?.db.$disconnect();
  await database?.dispose();
});

describe("the audit log under direct SQL", () => {
  it("refuses to change, delete or truncate events", async () => {
    const tamper = `UPDATE audit_events SET body = replace(body, '"option":"A"', '"option":"B"') WHERE seq = ${target.seq}`;
    await expect(database.sql.query(tamper)).rejects.toThrow(/audit_events is append-only: UPDATE is not allowed/);
    await expect(database.sql.query(`DELETE FROM audit_events WHERE seq = ${target.seq}`)).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(database.sql.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(database.sql.query(`UPDATE audit_head SET last_seq = last_seq - 1`)).rejects.toThrow(
      /one event at a time/,
    );
    await expectGaplessLog(database);
    await expectChainValid(s);
  });

  it("catches a body changed with the trigger disabled, naming its seq", async () => {
    const head = await expectGaplessLog(database);
    // The release URL serves the log up to the latest signed checkpoint: wait until it covers everything.
    for (let i = 0; ; i++) {
      const response = await fetch(`${app.url}/api/log/checkpoint`);
      if (response.ok && ((await response.json()) as { treeSize: number }).treeSize >= head) break;
      if (i > 150) throw new Error("no checkpoint covers the log after 15 s");
      await sleep(100);
    }
    const client = await database.sql.connect();
    try {
      await client.query("BEGIN");
      await client.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      const changed = await client.query(
        `UPDATE audit_events SET body = replace(body, '"option":"A"', '"option":"B"') WHERE seq = $1`,
        [target.seq],
      );
      expect(changed.rowCount).toBe(1);
      await client.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
      await client.query("COMMIT");
    } finally {
      client.release();
    }

    const stored = await s.verifyStoredLog();
    expect(stored.ok).toBe(false);
    expect(stored.problems[0]).toMatchObject({ seq: BigInt(target.seq), code: "LEAF_HASH_MISMATCH" });

    // `npm run verify -- <manifest URL>`: a researcher's check of the live release.
    const verify = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/verify.ts", `${app.url}/api/exports/manifest`],
      { encoding: "utf8", timeout: 120_000 },
    );
    const findings = verify.stdout.split("\n").filter((line) => line.startsWith("seq "));
    expect(verify.status, `${verify.stdout}\n${verify.stderr}`).toBe(1);
    expect(findings[0], verify.stdout).toMatch(new RegExp(`^seq ${target.seq}: LEAF_HASH_MISMATCH: `));
    expect(verify.stdout).toMatch(/NOT VERIFIED/);
  });
});
