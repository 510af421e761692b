import { describe, expect, it } from "vitest";
import { parseImportJsonl } from "./jsonl";

const batch = {
  record: "batch",
  slug: "test-batch",
  title: "Test batch",
  policy: "equal",
  opensAt: "2026-11-01T00:00:00Z",
  closesAt: "2027-01-01T00:00:00Z",
};
const pairwise = {
  record: "datapoint",
  batch: "test-batch",
  externalId: "t-1",
  kind: "pairwise",
  category: "helpfulness",
  title: "A pairwise item",
  prompt: "Explain recursion.",
  responses: [
    { id: "A", text: "A function calling itself." },
    { id: "B", text: "See recursion." },
  ],
  proposedLabel: "A",
  proposedLabelSource: "unit test",
};
const lines = (...records: unknown[]) => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

describe("parseImportJsonl", () => {
  it("accepts batches and datapoints of every kind, skipping blank lines", () => {
    const rating = {
      ...pairwise,
      externalId: "t-2",
      kind: "rating",
      responses: [{ id: "A", text: "Answer" }],
      labelOptions: { question: "How helpful?", min: 1, max: 7, minCaption: "Useless", maxCaption: "Ideal" },
      proposedLabel: "5",
    };
    const classification = {
      ...pairwise,
      externalId: "t-3",
      kind: "classification",
      responses: [{ id: "A", text: "Answer" }],
      labelOptions: {
        question: "Refusal?",
        classes: [
          { id: "over_refusal", caption: "Over-refusal" },
          { id: "fine", caption: "Fine" },
        ],
      },
      proposedLabel: "fine",
    };
    const result = parseImportJsonl(lines(batch, "", pairwise, rating, classification) + "\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.batches.map((b) => b.line)).toEqual([1]);
    expect(result.value.datapoints.map((d) => [d.line, d.record.kind])).toEqual([
      [3, "pairwise"],
      [4, "rating"],
      [5, "classification"],
    ]);
  });

  it("names every bad line with a reason", () => {
    const result = parseImportJsonl(
      lines(
        batch,
        "{not json",
        { ...pairwise, proposedLabel: "C" },
        {
          ...pairwise,
          externalId: "t-9",
          kind: "rating",
          responses: [{ id: "A", text: "x" }],
          labelOptions: { question: "q", min: 1, max: 5, minCaption: "a", maxCaption: "b" },
          proposedLabel: "9",
        },
        { ...pairwise, extra: true },
        { hello: "world" },
        pairwise,
        pairwise,
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(result.errors[0]!.message).toMatch(/not valid JSON/);
    expect(result.errors[1]!.message).toMatch(/proposedLabel/);
    expect(result.errors[2]!.message).toMatch(/rating scale/);
    expect(result.errors[3]!.message).toMatch(/extra/);
    expect(result.errors[4]!.message).toMatch(/"record"/);
    expect(result.errors[5]!.message).toMatch(/appears twice/);
  });

  it("refuses a batch that closes before it opens, and an empty file", () => {
    const bad = parseImportJsonl(lines({ ...batch, closesAt: "2026-10-01T00:00:00Z" }));
    expect(bad).toEqual({ ok: false, errors: [{ line: 1, message: "closesAt must be after opensAt" }] });
    expect(parseImportJsonl("\n\n")).toEqual({ ok: false, errors: [{ line: 1, message: "the file has no records" }] });
  });
});
