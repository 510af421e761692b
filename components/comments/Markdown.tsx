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
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";

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

/** `idPrefix` must be unique on the page (e.g. derived from the comment's id). */
export function Markdown({ children, idPrefix = "md-" }: { children: string; idPrefix?: string }) {
  return (
    <div className="space-y-2 break-words text-sm leading-relaxed [&_blockquote]:border-l-4 [&_blockquote]:border-gray-300 [&_blockquote]:pl-3 [&_blockquote]:text-muted [&_code]:rounded [&_code]:bg-gray-100 [&_code]:px-1 [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-gray-100 [&_pre]:p-2 [&_table]:block [&_table]:overflow-x-auto [&_td]:border [&_td]:px-2 [&_th]:border [&_th]:px-2 [&_ul]:list-disc [&_ul]:pl-5">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        remarkRehypeOptions={{ clobberPrefix: idPrefix }}
        rehypePlugins={[[rehypeSanitize, sanitizeSchema]]}
        skipHtml
        urlTransform={safeUrl}
        components={components}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
