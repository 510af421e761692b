// A SHA-256 (or any long hex) shown short, with the full value one click away: no client
// JavaScript, and the full text stays selectable for copying.
export function HashValue({ value, label }: { value: string; label: string }) {
  return (
    <details className="inline-block max-w-full align-top">
      <summary className="cursor-pointer font-mono text-xs" title={value}>
        {value.slice(0, 12)}…<span className="sr-only"> (show the full {label})</span>
      </summary>
      <code className="block break-all text-xs">{value}</code>
    </details>
  );
}
