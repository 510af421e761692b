// Pathological markdown (deep nesting, huge tables, endless links) is refused at posting by a
// linear scan, before any parser sees it.
import { describe, expect, it } from "vitest";
import { markdownRefusal, MARKDOWN_MAX_NESTING } from "./rules";

const nestedList = (n: number) => Array.from({ length: n }, (_, i) => `${"  ".repeat(i)}- item`).join("\n");
const table = (rows: number, columns: number) =>
  [
    `|${" h |".repeat(columns)}`,
    `|${"-|".repeat(columns)}`,
    ...Array.from({ length: rows }, () => `|${" x |".repeat(columns)}`),
  ].join("\n");

describe("markdownRefusal", () => {
  it("accepts ordinary comments with quotes, lists, tables and links", () => {
    for (const text of [
      "Plain.",
      "> quoted\n> > twice",
      nestedList(6),
      table(10, 5),
      "[docs](https://example.org/a/b?c=d) and **bold** _x_",
      "***bold italic***",
      "snake_case_name and a_b_c",
      "---",
      "```\ncode | with | pipes\n```",
    ]) {
      expect(markdownRefusal(text), text).toBeNull();
    }
  });

  it("refuses 3,000 nested block quotes", () => {
    expect(markdownRefusal(">".repeat(3000))).toMatch(/nested too deeply/);
    expect(markdownRefusal("> ".repeat(3000) + "x")).toMatch(/nested too deeply/);
    expect(markdownRefusal(">".repeat(MARKDOWN_MAX_NESTING))).toBeNull();
  });

  it("refuses 3,000 nested list items, by indentation or on one line", () => {
    expect(markdownRefusal(nestedList(3000))).toMatch(/nested too deeply/);
    expect(markdownRefusal("- ".repeat(3000) + "x")).toMatch(/nested too deeply/);
    expect(markdownRefusal("1. ".repeat(3000) + "x")).toMatch(/nested too deeply/);
  });

  it("refuses links in links and deep emphasis", () => {
    expect(markdownRefusal("[".repeat(3000) + "x" + "](u)".repeat(3000))).toMatch(/nested too deeply/);
    expect(markdownRefusal("*".repeat(3000) + "x" + "*".repeat(3000))).toMatch(/nested too deeply/);
    expect(markdownRefusal("*_".repeat(1500) + "x" + "_*".repeat(1500))).toMatch(/nested too deeply/);
  });

  it("refuses a 1,000 × 50 table", () => {
    expect(markdownRefusal(table(1000, 50))).toMatch(/table/);
    expect(markdownRefusal(table(5, 50))).toMatch(/table/);
  });

  it("refuses a 100 kB link", () => {
    expect(markdownRefusal(`[a](https://example.org/${"a".repeat(100_000)})`)).toMatch(/characters without a space/);
  });

  it("scans a large input in linear time", () => {
    const start = performance.now();
    markdownRefusal("> - [x] ".repeat(200_000));
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
