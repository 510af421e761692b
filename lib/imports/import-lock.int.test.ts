// A large import does not hold the log's head lock while it writes its rows: another writer
// that appends an event (here, publishing a voting policy) waits a moment, not the import's
// whole run. The import stays all-or-nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { auditHeadSeq, eventsAfter, pairwiseRecord } from "@/lib/testing/fixtures";
import { importFile } from "./mutations";
import { MAX_IMPORT_LINES } from "./rules";

const batch = (slug: string) => ({
  record: "batch",
  slug,
  title: `Batch ${slug}`,
  policy: "equal",
  opensAt: "2026-01-01T00:00:00Z",
  closesAt: "2036-01-01T00:00:00Z",
});
const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
const fullFile = (slug: string) => [
  batch(slug),
  ...Array.from({ length: MAX_IMPORT_LINES - 1 }, (_, i) => pairwiseRecord(slug, `${slug}-${i}`)),
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let policies = 0;
/** An appendEvent writer: how long publishing a policy takes while the import runs. */
async function timedWriter(): Promise<number> {
  const started = performance.now();
  const name = `lock-probe-${process.pid}-${++policies}`;
  await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name,
        version: 1,
        kind: "equal",
        description: "probe",
        quorum: { minVotes: 1, minWeight: 1 },
        margin: { minShare: 0 },
      },
      null,
    ),
  );
  return performance.now() - started;
}

beforeAll(async () => {
  await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name: "equal",
        version: 1,
        kind: "equal",
        description: "test",
        quorum: { minVotes: 1, minWeight: 1 },
        margin: { minShare: 0 },
      },
      null,
    ),
  );
});

describe("a 10,000-line import", () => {
  it("lets other writers append while it runs, and commits every line", { timeout: 240_000 }, async () => {
    const before = await auditHeadSeq();
    let finished = false;
    const importing = importFile(jsonl(fullFile("big")), { actorId: null }).finally(() => (finished = true));
    const waits: number[] = [];
    // Writers all through the import's run, its final append included.
    await sleep(1_500);
    while (!finished) {
      waits.push(await timedWriter());
      await sleep(500);
    }
    const report = await importing;
    console.log(
      `writer waits during the import (ms): max ${Math.max(...waits).toFixed(0)}, all ${waits.map((w) => w.toFixed(0)).join(" ")}`,
    );
    expect(report).toMatchObject({ ok: true, summary: { batchesCreated: 1, datapointsCreated: MAX_IMPORT_LINES - 1 } });
    expect(waits.length).toBeGreaterThan(2);
    expect(Math.max(...waits)).toBeLessThan(3_000);
    const events = await eventsAfter(before);
    expect(events.filter((e) => e.type === "datapoint.published")).toHaveLength(MAX_IMPORT_LINES - 1);
    expect(events.filter((e) => e.type === "batch.created")).toHaveLength(1);
    expect(events.filter((e) => e.type === "import.completed")).toHaveLength(1);
  });

  it("writes nothing when the last line is bad", { timeout: 240_000 }, async () => {
    const before = await auditHeadSeq();
    const lines = fullFile("big-bad");
    lines[lines.length - 1] = pairwiseRecord("no-such-batch", "x");
    const report = await importFile(jsonl(lines), { actorId: null });
    expect(report.ok).toBe(false);
    expect(await db.batch.count({ where: { slug: "big-bad" } })).toBe(0);
    expect(await db.datapoint.count({ where: { externalId: { startsWith: "big-bad-" } } })).toBe(0);
    expect((await eventsAfter(before)).filter((e) => e.type !== "policy.published")).toEqual([]);
  });
});
