import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { pairwiseRecord } from "@/lib/testing/fixtures";
import { parseImportJsonl, type ParsedImport } from "./jsonl";
import { importRecords } from "./mutations";

const batch = {
  record: "batch",
  slug: "import-test",
  title: "Import test",
  policy: "equal",
  opensAt: "2026-01-01T00:00:00Z",
  closesAt: "2036-01-01T00:00:00Z",
};
const datapoint = (externalId: string, extra: object = {}) => pairwiseRecord("import-test", externalId, extra);

function parse(...records: object[]): ParsedImport {
  const result = parseImportJsonl(records.map((r) => JSON.stringify(r)).join("\n"));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const lastSeq = async () => (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;

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

describe("importRecords", () => {
  it("imports nothing when any line fails, and names the line", async () => {
    const before = await lastSeq();
    const outcome = await importRecords(
      parse(batch, datapoint("a-1"), { ...datapoint("a-2"), batch: "no-such-batch" }),
      null,
    );
    expect(outcome).toEqual({
      ok: false,
      errors: [{ line: 3, message: 'batch "no-such-batch" is neither in this file nor already imported' }],
    });
    expect(await db.batch.count({ where: { slug: "import-test" } })).toBe(0);
    expect(await db.datapoint.count()).toBe(0);
    expect(await lastSeq()).toBe(before);
  });

  it("names an unknown voting policy", async () => {
    const outcome = await importRecords(parse({ ...batch, policy: "no-such-policy" }), null);
    expect(outcome).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'no published voting policy is named "no-such-policy"' }],
    });
  });

  it("imports with audit events, is idempotent, and refuses to change published content", async () => {
    const before = await lastSeq();
    const first = await importRecords(parse(batch, datapoint("b-1"), datapoint("b-2")), null);
    expect(first).toEqual({ ok: true, batchesCreated: 1, datapointsCreated: 2, unchanged: 0 });
    expect(await lastSeq()).toBe(before + 3n);
    const stored = await db.datapoint.findFirstOrThrow({ where: { externalId: "b-1" } });
    expect(stored.status).toBe("OPEN");

    const again = await importRecords(parse(batch, datapoint("b-1"), datapoint("b-2")), null);
    expect(again).toEqual({ ok: true, batchesCreated: 0, datapointsCreated: 0, unchanged: 2 });
    expect(await lastSeq()).toBe(before + 3n);

    const changed = await importRecords(parse(datapoint("b-3"), datapoint("b-2", { proposedLabel: "A" })), null);
    expect(changed.ok).toBe(false);
    if (!changed.ok)
      expect(changed.errors).toEqual([
        { line: 2, message: expect.stringMatching(/already published with other content/) },
      ]);
    expect(await db.datapoint.count({ where: { externalId: "b-3" } })).toBe(0);

    const otherSettings = await importRecords(parse({ ...batch, title: "Renamed" }), null);
    expect(otherSettings).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'batch "import-test" already exists with other settings' }],
    });
  });

  it("schedules datapoints of a future batch as drafts", async () => {
    const future = { ...batch, slug: "future-batch", opensAt: "2035-01-01T00:00:00Z" };
    const outcome = await importRecords(parse(future, { ...datapoint("f-1"), batch: "future-batch" }), null);
    expect(outcome.ok).toBe(true);
    expect((await db.datapoint.findFirstOrThrow({ where: { externalId: "f-1" } })).status).toBe("DRAFT");
  });
});
