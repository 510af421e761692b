import { describe, expect, it } from "vitest";
import { contentHashOf, optionsView, publishedContent, scheduledStatus } from "./rules";
import type { DatapointRecord } from "./schema";

const record: DatapointRecord = {
  record: "datapoint",
  batch: "b",
  externalId: "x-1",
  kind: "pairwise",
  category: "honesty",
  title: "t",
  prompt: "p",
  responses: [
    { id: "A", text: "a" },
    { id: "B", text: "b" },
  ],
  proposedLabel: "B",
  proposedLabelSource: "s",
};

describe("datapoint rules", () => {
  it("hashes the published content, and any change to it changes the hash", () => {
    const hash = contentHashOf(record);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHashOf({ ...record })).toBe(hash);
    expect(contentHashOf({ ...record, prompt: "p " })).not.toBe(hash);
    expect(contentHashOf({ ...record, proposedLabel: "A" })).not.toBe(hash);
    // The batch a record is imported into is not part of its content.
    expect(contentHashOf({ ...record, batch: "other" })).toBe(hash);
    expect(publishedContent(record).context).toBeNull();
  });

  it("schedules draft → open → closed from the batch times", () => {
    const batch = { opensAt: new Date("2026-11-01T00:00:00Z"), closesAt: new Date("2026-12-01T00:00:00Z") };
    expect(scheduledStatus(batch, new Date("2026-10-31T23:59:59Z"))).toBe("DRAFT");
    expect(scheduledStatus(batch, new Date("2026-11-01T00:00:00Z"))).toBe("OPEN");
    expect(scheduledStatus(batch, new Date("2026-12-01T00:00:00Z"))).toBe("CLOSED");
  });

  it("presents every kind's options in one shape", () => {
    expect(optionsView("PAIRWISE", {}).options.map((o) => o.id)).toEqual(["A", "B", "TIE", "BOTH_BAD"]);
    const rating = optionsView("RATING", { question: "q", min: 1, max: 3, minCaption: "bad", maxCaption: "good" });
    expect(rating.options).toEqual([
      { id: "1", caption: "1 — bad" },
      { id: "2", caption: "2" },
      { id: "3", caption: "3 — good" },
    ]);
    const classes = [{ id: "a", caption: "Alpha" }];
    expect(optionsView("CLASSIFICATION", { question: "q", classes })).toEqual({ question: "q", options: classes });
  });
});
