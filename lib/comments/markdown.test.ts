// The comment renderer against hostile input, through React's real server renderer.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/comments/Markdown";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, null, source));

describe("<Markdown>", () => {
  it("renders ordinary markdown and GFM", () => {
    const html = render("**bold** and _it_\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ `code`");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>it</em>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(html).toContain("<table>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain("<code>code</code>");
  });

  it("drops raw HTML: scripts, event handlers, iframes, raw images", () => {
    const html = render(
      [
        "<script>alert(1)</script>",
        "",
        'Hi <img src="x" onerror="alert(2)"> there',
        "",
        '<iframe src="https://evil.example/"></iframe>',
        "",
        '<a href="javascript:alert(3)">raw link</a> <b onmouseover="x()">b</b>',
        "",
        "<style>body{display:none}</style>",
      ].join("\n"),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/alert\(1\)/);
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/onmouseover/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain("Hi");
    expect(html).toContain("there");
  });

  it("drops javascript:, data: and other unsafe link targets, keeping the text", () => {
    for (const target of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java&#9;script:alert(1)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:x",
      "file:///etc/passwd",
    ]) {
      const html = render(`[click me](${target})`);
      expect(html, target).not.toMatch(/href=/);
      expect(html, target).not.toMatch(/javascript|data:|vbscript|file:/i);
      expect(html, target).toContain("click me");
    }
  });

  it("marks links as user-generated and never opens a new window", () => {
    const html = render(
      "[docs](https://example.org/a?b=1) and <https://example.com> and www.example.net and [rel](/datapoints)",
    );
    const anchors = html.match(/<a [^>]*>/g) ?? [];
    expect(anchors).toHaveLength(4);
    for (const anchor of anchors) {
      expect(anchor).toContain('rel="nofollow ugc noopener"');
      expect(anchor).not.toMatch(/target=/);
    }
    expect(html).toContain('href="https://example.org/a?b=1"');
    expect(html).toContain('href="/datapoints"');
  });

  it("shows images as their alt text and loads nothing", () => {
    const html = render(
      '![a cat](https://example.org/cat.png) ![](https://example.org/pixel.gif "t") ![x](javascript:alert(1))',
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/example\.org\/(cat|pixel)/);
    expect(html).toContain("[image: a cat]");
    expect(html).toContain("[image]");
    expect(html).not.toMatch(/javascript:/i);
  });

  it("keeps comment headings out of the page outline", () => {
    const html = render("# Title\n\n### Sub");
    expect(html).not.toMatch(/<h[1-6]/);
    expect(html).toContain('<p class="font-semibold">Title</p>');
  });

  it("escapes text that looks like markup inside code", () => {
    const html = render("`<script>alert(1)</script>`\n\n```\n<img src=x onerror=alert(1)>\n```");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("<Markdown> footnotes", () => {
  it("prefixes footnote ids per comment, so links work and comments do not collide", () => {
    const source = "claim[^1]\n\n[^1]: source";
    // The markdown goes in as children, as in JSX; the cast only satisfies createElement's typing.
    const withPrefix = (idPrefix: string) =>
      renderToStaticMarkup(createElement(Markdown, { idPrefix } as Parameters<typeof Markdown>[0], source));
    const a = withPrefix("c-a-");
    const b = withPrefix("c-b-");
    expect(a).toContain('href="#c-a-fn-1"');
    expect(a).toContain('id="c-a-fn-1"');
    expect(b).toContain('id="c-b-fn-1"');
    expect(a).not.toContain("user-content-");
  });
});
