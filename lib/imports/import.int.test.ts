// The shared import path against a real PostgreSQL: all-or-nothing, line-numbered reports,
// and the import's own `import.completed` event in the same transaction as its content.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { auditHeadSeq, eventsAfter, makeUser, pairwiseRecord } from "@/lib/testing/fixtures";
import { importFile } from "./mutations";
import { MAX_IMPORT_LINES, MAX_REPORTED_ERRORS } from "./rules";

const batch = (slug: string) => ({
  record: "batch",
  slug,
  title: `Batch ${slug}`,
  policy: "equal",
  opensAt: "2026-01-01T00:00:00Z",
  closesAt: "2036-01-01T00:00:00Z",
});
const datapoint = pairwiseRecord;
const jsonl = (...records: object[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

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

describe("importFile", () => {
  it("imports nothing when one line is bad, and names that line", async () => {
    const before = await auditHeadSeq();
    const text = jsonl(
      batch("bad-line"),
      datapoint("bad-line", "x-1"),
      datapoint("bad-line", "x-2", { proposedLabel: "C" }),
      datapoint("bad-line", "x-3"),
    );
    const report = await importFile(text, { actorId: null });
    expect(report).toEqual({
      ok: false,
      message: "1 line has a problem. Nothing was imported.",
      fileHash: sha256(text),
      summary: null,
      errors: [{ line: 3, message: expect.stringMatching(/^proposedLabel: /) }],
      errorCount: 1,
      errorCountIsLowerBound: false,
    });
    expect(await db.batch.count({ where: { slug: "bad-line" } })).toBe(0);
    expect(await auditHeadSeq()).toBe(before);
  });

  it("names lines refused by the database too (an unknown batch), importing nothing", async () => {
    const before = await auditHeadSeq();
    const report = await importFile(jsonl(batch("half"), datapoint("half", "h-1"), datapoint("no-such-batch", "h-2")), {
      actorId: null,
    });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      { line: 3, message: 'batch "no-such-batch" is neither in this file nor already imported' },
    ]);
    expect(await db.batch.count({ where: { slug: "half" } })).toBe(0);
    expect(await auditHeadSeq()).toBe(before);
  });

  it("imports with its events and import.completed in one transaction; identical re-import writes nothing", async () => {
    const admin = await makeUser("ADMIN");
    const text = jsonl(batch("good"), datapoint("good", "g-1"), datapoint("good", "g-2"));
    const before = await auditHeadSeq();
    const progress: [number, number][] = [];
    const report = await importFile(text, {
      actorId: admin.id,
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(report).toMatchObject({
      ok: true,
      message: "Imported 1 batch and 2 datapoints into good.",
      fileHash: sha256(text),
      summary: {
        batches: ["good"],
        batchesCreated: 1,
        batchesUnchanged: 0,
        datapointsCreated: 2,
        datapointsUnchanged: 0,
      },
      errors: [],
    });
    expect(progress[0]).toEqual([0, 3]);
    expect(progress.at(-1)).toEqual([3, 3]);
    expect(await auditHeadSeq()).toBe(before + 4n);

    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual([
      "batch.created",
      "datapoint.published",
      "datapoint.published",
      "import.completed",
    ]);
    expect(events.every((e) => e.body.actorId === admin.id)).toBe(true);
    expect(events[3]!.body).toEqual({
      type: "import.completed",
      at: expect.any(String),
      actorId: admin.id,
      fileHash: sha256(text),
      batches: ["good"],
      datapointsCreated: 2,
      unchanged: 0,
    });
    // recorded_at defaults to the transaction's start time: one value means one transaction.
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: before } }, select: { recordedAt: true } });
    expect(new Set(rows.map((r) => r.recordedAt.getTime())).size).toBe(1);

    const again = await importFile(text, { actorId: admin.id });
    expect(again).toMatchObject({
      ok: true,
      message: "Nothing new: 2 datapoints were already imported with identical content.",
      summary: { batchesCreated: 0, batchesUnchanged: 1, datapointsCreated: 0, datapointsUnchanged: 2 },
    });
    expect(await auditHeadSeq()).toBe(before + 4n);
    expect(await db.datapoint.count({ where: { batch: { slug: "good" } } })).toBe(2);
  });

  it("records what a partly new file added and what it found unchanged", async () => {
    await importFile(jsonl(batch("grow"), datapoint("grow", "n-1")), { actorId: null });
    const before = await auditHeadSeq();
    const text = jsonl(datapoint("grow", "n-1"), datapoint("grow", "n-2"));
    const report = await importFile(text, { actorId: null });
    expect(report.summary).toEqual({
      batches: ["grow"],
      batchesCreated: 0,
      batchesUnchanged: 0,
      datapointsCreated: 1,
      datapointsUnchanged: 1,
    });
    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual(["datapoint.published", "import.completed"]);
    expect(events[1]!.body).toMatchObject({
      actorId: null,
      fileHash: sha256(text),
      batches: ["grow"],
      datapointsCreated: 1,
      unchanged: 1,
    });
  });

  it("refuses files over the size or line limits, and files that are not UTF-8, before parsing", async () => {
    const tooLong = await importFile("\n".repeat(MAX_IMPORT_LINES + 1), { actorId: null });
    expect(tooLong).toMatchObject({
      ok: false,
      errors: [],
      message:
        "The file has 10,001 lines; the limit is 10,000 lines. Split it into smaller files. Nothing was imported.",
    });
    const tooLarge = await importFile(new Uint8Array(21 * 1024 * 1024).fill(0x20), { actorId: null });
    expect(tooLarge.message).toBe(
      "The file is 21 MB; the limit is 20 MB. Split it into smaller files. Nothing was imported.",
    );
    const binary = await importFile(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), { actorId: null });
    expect(binary.message).toBe("The file is not UTF-8 text. Nothing was imported.");
  });

  it("lists a limited number of problems and counts them all", async () => {
    const lines = [
      batch("many"),
      ...Array.from({ length: 150 }, (_, i) => datapoint("many", `m-${i}`, { category: "nonsense" })),
    ];
    const report = await importFile(jsonl(...lines), { actorId: null });
    expect(report.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(report.errors[0]!.line).toBe(2);
    expect(report.errorCount).toBe(150);
    expect(report.message).toBe("150 lines have problems. Nothing was imported.");
  });
});
