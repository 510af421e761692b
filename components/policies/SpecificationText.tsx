// The tally specification (lib/tally/SPEC.md) as a page. The text is the repository's own,
// not user input, but raw HTML is still dropped: the page shows only what markdown says.
import type { ReactNode } from "react";
import renderMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/** "4.4 representative (raking)" → "4-4-representative-raking", so sections can be linked. */
function anchor(children: ReactNode): string {
  const text = Array.isArray(children) ? children.join("") : String(children ?? "");
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";

const components: Components = {
  h1: ({ children }) => <h1 className="text-2xl font-bold">{children}</h1>,
  h2: ({ children }) => (
    <h2 id={anchor(children)} className="pt-4 text-xl font-semibold">
      {children}
    </h2>
  ),
  h3: ({ children }) => (
    <h3 id={anchor(children)} className="pt-2 text-lg font-semibold">
      {children}
    </h3>
  ),
  p: ({ children }) => <p className="max-w-3xl">{children}</p>,
  ul: ({ children }) => <ul className="max-w-3xl list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="max-w-3xl list-decimal space-y-1 pl-5">{children}</ol>,
  // Scrolling regions must be reachable by keyboard (tabIndex), or a phone's reader cannot scroll them.
  pre: ({ children }) => (
    <pre tabIndex={0} className="overflow-x-auto rounded border border-gray-200 bg-white p-3 text-sm">
      {children}
    </pre>
  ),
  code: ({ children, className }) => <code className={className ? "font-mono" : code}>{children}</code>,
  table: ({ children }) => (
    <div tabIndex={0} role="region" aria-label="Table (scrolls sideways)" className="overflow-x-auto">
      <table className="border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border border-gray-200 bg-gray-50 px-2 py-1 text-left align-top">{children}</th>,
  td: ({ children }) => <td className="border border-gray-200 px-2 py-1 align-top">{children}</td>,
};

export function SpecificationText({ source }: { source: string }) {
  return (
    <div className="space-y-3" data-testid="tally-specification">
      {renderMarkdown({ children: source, remarkPlugins: [remarkGfm], skipHtml: true, components })}
    </div>
  );
}
