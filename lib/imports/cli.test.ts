import { describe, expect, it } from "vitest";
import { progressBar } from "@/lib/runtime/progress";
import { HELP, createImportProgress as createProgress, parseCliArgs, reportLines } from "./cli";
import { imported, refusedLines } from "./rules";

const H = "a".repeat(64);

describe("parseCliArgs", () => {
  it("takes one file and an optional actor", () => {
    expect(parseCliArgs(["batch.jsonl"])).toEqual({
      ok: true,
      args: { help: false, file: "batch.jsonl", actor: null },
    });
    expect(parseCliArgs(["batch.jsonl", "--actor", "admin@example.test"])).toEqual({
      ok: true,
      args: { help: false, file: "batch.jsonl", actor: "admin@example.test" },
    });
    expect(parseCliArgs(["--help"])).toEqual({ ok: true, args: { help: true } });
    expect(parseCliArgs(["-h", "x.jsonl"])).toEqual({ ok: true, args: { help: true } });
  });

  it("says what is wrong with a bad command line", () => {
    expect(parseCliArgs([])).toEqual({ ok: false, message: "Give the JSONL file to import." });
    expect(parseCliArgs(["a.jsonl", "b.jsonl"])).toEqual({ ok: false, message: "Give exactly one file." });
    expect(parseCliArgs(["a.jsonl", "--actor", " "])).toEqual({
      ok: false,
      message: "--actor needs the email of an admin account.",
    });
    expect(parseCliArgs(["a.jsonl", "--force"])).toMatchObject({
      ok: false,
      message: expect.stringContaining("--force"),
    });
  });

  it("documents the exit codes", () => {
    expect(HELP).toMatch(
      /Exit codes:\n {2}0 {2}imported.*\n {2}1 {2}the file has problems: nothing was imported\n {2}2 {2}could not run/,
    );
  });
});

describe("reportLines", () => {
  it("prints one file:line: reason per problem, then the verdict", () => {
    expect(reportLines("b.jsonl", refusedLines(H, [{ line: 3, message: "not valid JSON" }]))).toEqual([
      "b.jsonl:3: not valid JSON",
      "import: 1 line has a problem. Nothing was imported.",
    ]);
  });

  it("prints the summary and the file's hash on success", () => {
    const report = imported(H, {
      batches: ["b"],
      batchesCreated: 1,
      batchesUnchanged: 0,
      datapointsCreated: 2,
      datapointsUnchanged: 0,
    });
    expect(reportLines("b.jsonl", report)).toEqual([
      `import: Imported 1 batch and 2 datapoints into b.`,
      `import: file SHA-256 ${H}`,
    ]);
  });
});

describe("progress", () => {
  it("writes a plain line at each tenth when not on a terminal", () => {
    const lines: string[] = [];
    const progress = createProgress({ write: (t) => lines.push(t) });
    for (let done = 0; done <= 1000; done += 50) progress.update(done, 1000);
    progress.finish();
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("import: 0/1,000 records (0%)\n");
    expect(lines.at(-1)).toBe("import: 1,000/1,000 records (100%)\n");
  });

  it("redraws a bar on a terminal at most every 100 ms, always drawing the end", () => {
    const out: string[] = [];
    let now = 0;
    const progress = createProgress({ isTTY: true, columns: 80, write: (t) => out.push(t) }, () => now);
    progress.update(0, 10);
    progress.update(5, 10); // too soon: skipped
    now = 150;
    progress.update(6, 10);
    progress.update(10, 10);
    progress.finish();
    expect(out).toHaveLength(4);
    expect(out[2]).toBe(`\r\x1b[2K${progressBar("import", "records", 10, 10, 40)}`);
    expect(out[3]).toBe("\n");
  });

  it("draws the share done", () => {
    expect(progressBar("import", "records", 1, 4, 8)).toBe("import [██░░░░░░]  25% 1/4 records");
  });
});
