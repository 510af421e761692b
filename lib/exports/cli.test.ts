import { describe, expect, it } from "vitest";
import { parseExportArgs, reportLines } from "./cli";
import type { Manifest } from "./manifest";

describe("export command line", () => {
  it("reads the directory and the filters, checked like the API's", () => {
    expect(
      parseExportArgs(["out", "--batch", "b-1", "--min-agreement", "0.7", "--to", "2026-12-01", "--tree-size", "40"]),
    ).toEqual({
      ok: true,
      args: {
        help: false,
        dir: "out",
        filters: { batch: "b-1", status: "FINALIZED", minAgreement: 0.7, to: "2026-12-01" },
        treeSize: 40,
      },
    });
    expect(parseExportArgs(["-h"])).toEqual({ ok: true, args: { help: true } });
  });

  it("says what is wrong in one sentence", () => {
    expect(parseExportArgs([])).toEqual({ ok: false, message: "Give the directory to write the release into." });
    expect(parseExportArgs(["a", "b"])).toEqual({ ok: false, message: "Give exactly one directory." });
    expect(parseExportArgs(["out", "--min-margin", "2"])).toEqual({
      ok: false,
      message: "--min-margin: minMargin must be a number from 0 to 1, such as 0.7.",
    });
    expect(parseExportArgs(["out", "--status", "done"])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^--status: status must be one of/),
    });
    expect(parseExportArgs(["out", "--colour", "red"])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/colour/),
    });
  });

  it("reports each file's hash, rows and bytes, then the cut", () => {
    const manifest = {
      asOfSeq: 12,
      checkpoint: { rootHash: "ab".repeat(32) },
      files: [
        { name: "dataset.csv", sha256: "0".repeat(64), rows: 1200, bytes: 34567 },
        { name: "policies.json", sha256: "1".repeat(64), rows: null, bytes: 99 },
      ],
    } as unknown as Manifest;
    expect(reportLines("/tmp/r", manifest)).toEqual([
      `${"0".repeat(64)}  dataset.csv              1,200 rows, 34,567 bytes`,
      `${"1".repeat(64)}  policies.json            99 bytes`,
      "export: wrote 2 files and manifest.json to /tmp/r",
      `export: cut at the signed checkpoint of tree size 12 (root ${"ab".repeat(32)})`,
    ]);
  });
});
