import { describe, expect, it } from "vitest";
import {
  MAX_REPORTED_ERRORS,
  imported,
  lineCount,
  linesProblem,
  moreErrors,
  refusedFile,
  refusedLines,
  sizeProblem,
  summaryMessage,
  type ImportSummary,
} from "./rules";

const H = "a".repeat(64);
const summary = (s: Partial<ImportSummary> = {}): ImportSummary => ({
  batches: ["b"],
  batchesCreated: 1,
  batchesUnchanged: 0,
  datapointsCreated: 3,
  datapointsUnchanged: 0,
  ...s,
});

describe("limits", () => {
  it("refuses empty and oversized files in one sentence", () => {
    expect(sizeProblem(0)).toBe("The file is empty.");
    expect(sizeProblem(20 * 1024 * 1024)).toBeNull();
    expect(sizeProblem(25 * 1024 * 1024)).toBe("The file is 25 MB; the limit is 20 MB. Split it into smaller files.");
  });

  it("counts lines as the validation report numbers them", () => {
    expect(lineCount("")).toBe(0);
    expect(lineCount("a")).toBe(1);
    expect(lineCount("a\n")).toBe(1);
    expect(lineCount("a\r\nb")).toBe(2);
    expect(lineCount("a\n\nb\n")).toBe(3);
    expect(linesProblem("a\nb\nc", 3)).toBeNull();
    expect(linesProblem("a\nb\nc\nd", 3)).toBe(
      "The file has 4 lines; the limit is 3 lines. Split it into smaller files.",
    );
  });
});

describe("reports", () => {
  it("sorts problems by line, lists at most MAX_REPORTED_ERRORS and counts them all", () => {
    const errors = Array.from({ length: 150 }, (_, i) => ({ line: 150 - i, message: "bad" }));
    const report = refusedLines(H, errors);
    expect(report).toMatchObject({ ok: false, summary: null, errorCount: 150, errorCountIsLowerBound: false });
    expect(report.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(report.errors[0]).toEqual({ line: 1, message: "bad" });
    expect(report.message).toBe("150 lines have problems. Nothing was imported.");
    expect(moreErrors(report)).toBe("…and 50 more problems.");
  });

  it("says so when checking stopped early", () => {
    const report = refusedLines(
      H,
      Array.from({ length: 200 }, (_, i) => ({ line: i + 1, message: "bad" })),
      true,
    );
    expect(report.message).toBe("At least 200 lines have problems (checking stopped there). Nothing was imported.");
    expect(moreErrors(report)).toBe("…and at least 100 more problems (checking stopped there).");
  });

  it("names a single line in the singular", () => {
    const report = refusedLines(H, [{ line: 3, message: "not valid JSON" }]);
    expect(report.message).toBe("1 line has a problem. Nothing was imported.");
    expect(moreErrors(report)).toBeNull();
  });

  it("refuses a whole file without lines", () => {
    expect(refusedFile(H, "The file is not UTF-8 text.")).toEqual({
      ok: false,
      message: "The file is not UTF-8 text. Nothing was imported.",
      fileHash: H,
      summary: null,
      errors: [],
      errorCount: 0,
      errorCountIsLowerBound: false,
    });
  });

  it("summarises what was created and what was already there", () => {
    expect(imported(H, summary()).message).toBe("Imported 1 batch and 3 datapoints into b.");
    expect(
      summaryMessage(summary({ batchesCreated: 0, batchesUnchanged: 1, datapointsCreated: 1, datapointsUnchanged: 2 })),
    ).toBe("Imported 1 datapoint into b. 2 datapoints were already there, unchanged.");
    expect(summaryMessage(summary({ batchesCreated: 0, datapointsCreated: 0, datapointsUnchanged: 1 }))).toBe(
      "Nothing new: 1 datapoint was already imported with identical content.",
    );
    expect(summaryMessage(summary({ batches: ["a", "b"], batchesCreated: 2, datapointsCreated: 1200 }))).toBe(
      "Imported 2 batches and 1,200 datapoints into a, b.",
    );
  });
});
