/* eslint-disable react/no-children-prop -- Markdown takes its text as the `children` prop */
// A stored comment beyond the markdown limits (posted before they existed) must still render,
// quickly and without a stack overflow, so it cannot take the datapoint page down.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./Markdown";

const pathological: Record<string, string> = {
  "3,000 block quotes": ">".repeat(3000),
  "3,000 nested list items": Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n"),
  "3,000 links in links": "[".repeat(3000) + "x" + "](u)".repeat(3000),
  "3,000 emphasis levels": "*".repeat(3000) + "x" + "*".repeat(3000),
  "a 1,000 × 50 table": [
    "|" + " h |".repeat(50),
    "|" + "-|".repeat(50),
    ...Array.from({ length: 1000 }, () => "|" + " x |".repeat(50)),
  ].join("\n"),
  "a 100 kB link": `[a](https://example.org/${"a".repeat(100_000)})`,
};

describe("Markdown with pathological stored text", () => {
  for (const [name, text] of Object.entries(pathological)) {
    it(`renders ${name} as plain preformatted text, in bounded time`, () => {
      const start = performance.now();
      const html = renderToStaticMarkup(createElement(Markdown, { idPrefix: "c-x-", children: text }));
      expect(performance.now() - start).toBeLessThan(2000);
      expect(html).toContain("<pre");
      expect(html).not.toContain("<blockquote");
    });
  }

  it("still renders ordinary markdown as markdown", () => {
    expect(renderToStaticMarkup(createElement(Markdown, { children: "> quoted **bold**" }))).toContain("<blockquote>");
  });
});
