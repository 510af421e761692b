// What the vote benchmarks (vote-write.ts, vote-http.ts) vote on: a fresh embedded
// PostgreSQL in $TMPDIR/plenary-bench-<name> (or DATABASE_URL, which must be a database you
// can throw away), users made by the user service, and open batches imported by the import
// service. The app's modules are loaded after DATABASE_URL is set, as they read it on import.
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toDatabaseUrl } from "@/lib/database/connection";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrations";
import { freePort } from "@/lib/runtime/ports";

export const VOTE_OPTIONS = ["A", "B", "TIE", "BOTH_BAD"];

export async function votingDatabase(name: string, pool: number) {
  let stopServer = async () => {};
  if (!process.env.DATABASE_URL) {
    const dir = path.join(os.tmpdir(), `plenary-bench-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755); // the server may run as the `postgres` user
    process.env.PLENARY_DATA_DIR = dir;
    const server = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      password: "plenary-bench-password",
      database: "plenary",
    });
    await applyMigrations(server.connection);
    process.env.DATABASE_URL = toDatabaseUrl(server.connection);
    stopServer = () => server.stop();
    console.log(`database: fresh embedded PostgreSQL in ${dir}`);
  } else console.log("database: DATABASE_URL");
  process.env.PLENARY_DB_POOL = String(pool);

  const { db } = await import("@/lib/db");
  const { createUserIn } = await import("@/lib/users/mutations");
  const { publishPolicyIn } = await import("@/lib/voting-policies/mutations");
  const { parseImportJsonl } = await import("@/lib/imports/jsonl");
  const { importRecords } = await import("@/lib/imports/mutations");
  await db
    .$transaction((tx) =>
      publishPolicyIn(
        tx,
        {
          name: "equal",
          version: 1,
          kind: "equal",
          description: "Benchmark policy.",
          quorum: { minVotes: 3, minWeight: 3 },
          margin: { minShare: 0.1 },
        },
        null,
      ),
    )
    .catch(() => undefined); // already published in a reused database

  /** `count` users made through the user service, `workers` at a time. */
  async function makeUsers(count: number, tag: string, workers: number): Promise<string[]> {
    const ids: string[] = new Array(count);
    let next = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let i = next++; i < count; i = next++) {
          ids[i] = (
            await db.$transaction((tx) =>
              createUserIn(tx, { email: `bench-${tag}-${i}@example.test`, name: null }, null),
            )
          ).id;
        }
      }),
    );
    return ids;
  }

  /** An open batch of `count` pairwise datapoints, imported; their ids in import order. */
  async function makeDatapoints(count: number, tag: string): Promise<string[]> {
    const slug = `bench-${name}-${tag}`;
    const lines = [
      {
        record: "batch",
        slug,
        title: `Benchmark ${tag}`,
        policy: "equal",
        opensAt: new Date(Date.now() - 86_400_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        rationaleRequired: false,
        tallyVisibility: "AFTER_OWN_VOTE",
      },
      ...Array.from({ length: count }, (_, i) => ({
        record: "datapoint",
        batch: slug,
        externalId: `dp-${String(i).padStart(5, "0")}`,
        kind: "pairwise",
        category: "helpfulness",
        title: `Item ${i}`,
        prompt: "Which answer is better?",
        responses: [
          { id: "A", text: "One." },
          { id: "B", text: "Two." },
        ],
        proposedLabel: "A",
        proposedLabelSource: "benchmark",
      })),
    ];
    const parsed = parseImportJsonl(lines.map((l) => JSON.stringify(l)).join("\n"));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const outcome = await importRecords(parsed.value, null);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return (
      await db.datapoint.findMany({ where: { batch: { slug } }, select: { id: true }, orderBy: { externalId: "asc" } })
    ).map((d) => d.id);
  }

  /**
   * Spread votes so that concurrent ones are by different users on different datapoints, as
   * on a site with many datapoints open: user u's k-th vote is on datapoint u + 37k.
   */
  const pairFor = (users: string[], datapoints: string[], n: number) => {
    const u = n % users.length;
    return { userId: users[u]!, datapointId: datapoints[(u + 37 * Math.floor(n / users.length)) % datapoints.length]! };
  };

  /** Vote events after `headBefore`, rows still queued and history rows without a seq. */
  async function logCounts(headBefore: bigint) {
    const [counts] = await db.$queryRaw<{ events: bigint; queued: bigint; unsequenced: bigint }[]>`
      SELECT (SELECT count(*) FROM audit_events WHERE seq > ${headBefore} AND type IN ('vote.cast', 'vote.changed')) AS events,
             (SELECT count(*) FROM audit_queue) AS queued,
             (SELECT count(*) FROM vote_history WHERE plenary_event_seq(audit_seq, audit_queue_id) IS NULL) AS unsequenced`;
    return { events: Number(counts!.events), queued: Number(counts!.queued), unsequenced: Number(counts!.unsequenced) };
  }

  const headSeq = async () => (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
  return { db, makeUsers, makeDatapoints, pairFor, logCounts, headSeq, stop: stopServer };
}
