// A shell command to copy: wrapped rather than scrolled (long keys would otherwise need a
// focusable scroll box), and selected whole with one click.
export function Command({ children, testId }: { children: string; testId?: string }) {
  return (
    <pre className="rounded-lg bg-gray-900 p-3 text-sm text-gray-50" data-testid={testId}>
      <code className="whitespace-pre-wrap break-all font-mono select-all">{children}</code>
    </pre>
  );
}
