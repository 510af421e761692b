// Comment markdown, rendered on the server only (no client JavaScript). Comments are
// untrusted text, so the output is whitelisted at every step:
// - raw HTML is dropped (skipHtml), never passed through;
// - rehype-sanitize (GitHub's schema) strips anything outside the whitelist;
// - only http(s), mailto and relative URLs survive; a link without one is plain text;
// - images are not loaded (tracking pixels, layout abuse): their alt text is shown;
// - links are marked user-generated (rel) and open in place (no target).
// Headings become bold paragraphs so a comment cannot restructure the page's outline.
// The only ids markdown creates are footnotes'; they get a per-comment prefix (and the
// sanitizer adds none) so several comments on one page neither collide nor break links.
//
// Parsing is the costly part of a discussion page (GFM parsing above all, and most for long
// or deeply structured comments; BENCHMARKS.md §3), while a comment version's text never
// changes. So each rendered tree is kept, keyed by a hash of the text and its id prefix, in
// a bounded cache (least recently used out first); later requests render the kept tree,
// which is exactly what a fresh parse would give. Text in which markdown could find no
// syntax at all (plain sentences and paragraphs) is not parsed: it becomes the same
// paragraphs the parser would make (a test holds the two to identical trees), and holds
// nothing that sanitizing could change.
import { createHash } from "node:crypto";
import { isValidElement, type ReactNode } from "react";
import { Fragment, jsx } from "react/jsx-runtime";
import renderMarkdown, { type Components, type Options } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { markdownRefusal } from "@/lib/comments/rules";

const SAFE_PROTOCOL = /^(https?|mailto):$/i;

/**
 * The URL when it is safe to link to, else null (the attribute is removed). It is parsed
 * the way a browser parses it (tabs, backslashes, entities and all), relative to a
 * placeholder base, so what is checked is the scheme the browser would really use.
 */
function safeUrl(url: string): string | null {
  try {
    return SAFE_PROTOCOL.test(new URL(url, "https://plenary.invalid/").protocol) ? url : null;
  } catch {
    return null;
  }
}

const sanitizeSchema = { ...defaultSchema, clobberPrefix: "" };

const heading = ({ children }: { children?: React.ReactNode }) => <p className="font-semibold">{children}</p>;

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} rel="nofollow ugc noopener" className="text-accent underline">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ alt }) => <span className="text-muted">[image{alt ? `: ${alt}` : ""}]</span>,
  h1: heading,
  h2: heading,
  h3: heading,
  h4: heading,
  h5: heading,
  h6: heading,
};

const options: Omit<Options, "children" | "remarkRehypeOptions"> = {
  remarkPlugins: [remarkGfm],
  rehypePlugins: [[rehypeSanitize, sanitizeSchema]],
  skipHtml: true,
  urlTransform: safeUrl,
  components,
};

/** The parser's tree for `source`: remark (GFM), rehype-sanitize, the components above. */
export function parseMarkdown(source: string, idPrefix: string): ReactNode {
  return renderMarkdown({ ...options, remarkRehypeOptions: { clobberPrefix: idPrefix }, children: source });
}

// Characters that can start markdown, GFM or HTML syntax anywhere in a line (emphasis, code,
// strikethrough, links, footnotes, autolinks, HTML, entities, escapes, tables, emails), URLs
// and `www.` (GFM's literal links), and anything but letters, marks, digits, punctuation,
// symbols, spaces and line feeds (tabs, carriage returns, NUL, other spaces and controls).
const INLINE_SYNTAX = /[^\p{L}\p{M}\p{N}\p{P}\p{S} \n]|[*_`~[\]<>&\\|@]|:\/\/|www\./iu;
// What makes a line a heading, list item, rule, setext underline, table delimiter row
// ("a\n:-" is a one-column table) or indented code when it starts it; spaces at either end of
// a line (indentation, hard line breaks).
const LINE_SYNTAX = /(^|\n)[ #+=\-\d:]| (\n|$)/u;

/**
 * The parser's tree for text in which it finds no syntax: paragraphs split at blank lines,
 * with line feeds between them, keyed as the parser keys them. Null for any other text.
 */
export function plainParagraphs(source: string): ReactNode | null {
  if (INLINE_SYNTAX.test(source) || LINE_SYNTAX.test(source)) return null;
  const paragraphs = source
    .split(/\n{2,}/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p !== "");
  const children: ReactNode[] = paragraphs.flatMap((text, i) => [
    ...(i ? ["\n"] : []),
    jsx("p", { children: text }, `p-${i}`),
  ]);
  return jsx(Fragment, children.length ? { children: children.length > 1 ? children : children[0] } : {});
}

/**
 * Rendered markdown trees, least recently used first, within a memory budget: each tree
 * counts as an estimate of the heap it holds, so a few huge comments cannot hold more than
 * the budget. The estimate is on the safe side of what was measured: about 200 bytes an
 * element, 900 more for a link, image or heading (they keep their syntax-tree node, which
 * the components above receive), two bytes a character of text.
 */
export class RenderedMarkdownCache {
  private readonly trees = new Map<string, { tree: ReactNode; weight: number }>();
  private total = 0;

  constructor(readonly budget: number) {}

  get size(): number {
    return this.trees.size;
  }

  render(source: string, idPrefix: string): ReactNode {
    const plain = plainParagraphs(source);
    if (plain !== null) return plain;
    const key = createHash("sha256").update(`${idPrefix.length}:${idPrefix}`).update(source).digest("base64");
    const kept = this.trees.get(key);
    if (kept) {
      this.trees.delete(key); // re-inserted as the most recently used
      this.trees.set(key, kept);
      return kept.tree;
    }
    const tree = parseMarkdown(source, idPrefix);
    const weight = 512 + 2 * source.length + treeWeight(tree);
    if (weight <= this.budget) {
      this.trees.set(key, { tree, weight });
      this.total += weight;
      for (const [oldest, entry] of this.trees) {
        if (this.total <= this.budget) break;
        this.trees.delete(oldest);
        this.total -= entry.weight;
      }
    }
    return tree;
  }
}

function treeWeight(node: ReactNode): number {
  if (Array.isArray(node)) return node.reduce((n: number, child: ReactNode) => n + treeWeight(child), 0);
  if (!isValidElement(node)) return 0;
  return (typeof node.type === "function" ? 1100 : 220) + treeWeight((node.props as { children?: ReactNode }).children);
}

// About 32 MB: some 20,000 comments of a paragraph or two.
const rendered = new RenderedMarkdownCache(32 * 1024 * 1024);

/**
 * Text beyond the markdown limits (stored before they existed) is shown as it was written, in
 * a <pre>, never parsed: the parser's recursion is what took pages down. A parse that fails
 * for any other reason falls back the same way.
 */
function renderSafely(source: string, idPrefix: string): ReactNode {
  const plain = <pre className="whitespace-pre-wrap break-all font-sans">{source}</pre>;
  if (markdownRefusal(source)) return plain;
  try {
    return rendered.render(source, idPrefix);
  } catch {
    return plain;
  }
}

/** `idPrefix` must be unique on the page (e.g. derived from the comment's id). */
export function Markdown({ children, idPrefix = "md-" }: { children: string; idPrefix?: string }) {
  return (
    <div className="space-y-2 break-words text-sm leading-relaxed [&_blockquote]:border-l-4 [&_blockquote]:border-gray-300 [&_blockquote]:pl-3 [&_blockquote]:text-muted [&_code]:rounded [&_code]:bg-gray-100 [&_code]:px-1 [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-gray-100 [&_pre]:p-2 [&_table]:block [&_table]:overflow-x-auto [&_td]:border [&_td]:px-2 [&_th]:border [&_th]:px-2 [&_ul]:list-disc [&_ul]:pl-5">
      {renderSafely(children, idPrefix)}
    </div>
  );
}
