// Rendering comment markdown without parsing it twice: plain text skips the parser, and the
// cache keeps parsed trees. Both must give exactly what the parser gives.
import fc from "fast-check";
import { createElement, Fragment, isValidElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseMarkdown, plainParagraphs, RenderedMarkdownCache } from "./Markdown";

const html = (tree: ReactNode) => renderToStaticMarkup(createElement(Fragment, null, tree));
const source =
  "**bold** [docs](https://example.org) <script>alert(1)</script> [x](javascript:alert(1))\n\nclaim[^1]\n\n[^1]: source";

/** A tree as React renders it: element types, keys and props, children recursively. */
function shape(node: ReactNode): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (!isValidElement(node)) return node;
  const { children, ...props } = node.props as { children?: ReactNode };
  return { type: String(node.type), key: node.key, props, children: shape(children) };
}

describe("plainParagraphs", () => {
  const same = (text: string) => {
    const plain = plainParagraphs(text);
    if (plain === null) return false;
    expect(shape(plain), JSON.stringify(text)).toEqual(shape(parseMarkdown(text, "c-")));
    expect(html(plain), JSON.stringify(text)).toBe(html(parseMarkdown(text, "c-")));
    return true;
  };

  it("gives the parser's tree for plain sentences and paragraphs", () => {
    for (const text of [
      "",
      "One sentence.",
      "Two lines\nof one paragraph.",
      "\n\nFirst.\n\n\n\nSecond!\nStill second?\n",
      "Prices (€5, $6), 50% off; it's \"fine\" — isn't it… ok: yes.",
      "Ünïcödé, 日本語, emoji 🎉 and a # or 2 mid-line.",
      "a.b/c {d} ^e +f =g !h",
    ]) {
      expect(same(text), JSON.stringify(text)).toBe(true);
    }
  });

  it("leaves anything markdown could read as syntax to the parser", () => {
    for (const text of [
      "*a*",
      "_a_",
      "`a`",
      "~~a~~",
      "[a](b)",
      "<b>",
      "&amp;",
      "a\\\nb",
      "a|b",
      "me@example.org",
      "see https://example.org",
      "www.example.org",
      "# h",
      "a\n=",
      "a\n-",
      "a\n:-",
      "- a",
      "+ a",
      "1. a",
      "2) a",
      "    code",
      " a",
      "a  \nb",
      "a ",
      "a\tb",
      "a\r\nb",
      "a\u00a0b",
      "a\u0000b",
    ]) {
      expect(plainParagraphs(text), JSON.stringify(text)).toBeNull();
    }
  });

  it("agrees with the parser on generated text of every kind", () => {
    const character = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(..."abcXYZ019 .,;:?!'\"()/%$^{}+=-#") },
      { weight: 3, arbitrary: fc.constantFrom("\n", "\n\n", " \n", "\n ") },
      { weight: 1, arbitrary: fc.constantFrom(..."*_`~[]<>&\\|@\t\r", "www.", "://", "é", "—", "🎉", "\u00a0") },
    );
    let plain = 0;
    fc.assert(
      fc.property(
        fc.array(character, { maxLength: 40 }).map((parts) => parts.join("")),
        (text) => {
          if (same(text)) plain++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(plain).toBeGreaterThan(200); // both branches were exercised
  }, 60_000);
});

describe("RenderedMarkdownCache", () => {
  it("gives the kept tree on a second render, with the same output as a fresh parse", () => {
    const cache = new RenderedMarkdownCache(1024 * 1024);
    const first = cache.render(source, "c-a-");
    const again = cache.render(source, "c-a-");
    expect(again).toBe(first);
    expect(shape(again)).toEqual(shape(parseMarkdown(source, "c-a-")));
    expect(html(again)).toContain("<strong>bold</strong>");
    expect(html(again)).not.toMatch(/<script|javascript:/i);
    expect(cache.size).toBe(1);
  });

  it("keeps each id prefix apart, so footnote ids stay unique per comment", () => {
    const cache = new RenderedMarkdownCache(1024 * 1024);
    expect(html(cache.render(source, "c-a-"))).toContain('id="c-a-fn-1"');
    expect(html(cache.render(source, "c-b-"))).toContain('id="c-b-fn-1"');
    expect(cache.size).toBe(2);
  });

  it("renders plain text without keeping it", () => {
    const cache = new RenderedMarkdownCache(1024 * 1024);
    expect(html(cache.render("Just a sentence.", "c-"))).toBe("<p>Just a sentence.</p>");
    expect(cache.size).toBe(0);
  });

  it("drops the least recently used trees beyond its budget, and never keeps one larger than it", () => {
    const cache = new RenderedMarkdownCache(4000);
    const read = cache.render("*read on every request*", "c-");
    const first = cache.render("*comment 0*", "c-");
    for (let i = 1; i < 20; i++) {
      cache.render(`*comment ${i}*`, "c-");
      expect(cache.render("*read on every request*", "c-")).toBe(read);
    }
    expect(cache.size).toBeGreaterThan(1);
    expect(cache.size).toBeLessThan(21);
    expect(cache.render("*comment 0*", "c-")).not.toBe(first);

    const small = new RenderedMarkdownCache(1000);
    expect(html(small.render("*word* ".repeat(1000), "c-"))).toContain("<em>word</em>");
    expect(small.size).toBe(0);
  });
});
