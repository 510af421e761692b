// The head of the log: what every verification ends at.

export function AuditHead({ head }: { head: { lastSeq: bigint; chainHash: string } | null }) {
  if (!head) return <p className="text-muted">The log is empty.</p>;
  return (
    <dl
      className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-gray-200 bg-white p-4 text-sm"
      data-testid="audit-head"
    >
      <dt className="text-muted">Last seq</dt>
      <dd className="font-mono">{String(head.lastSeq)}</dd>
      <dt className="text-muted">Chain hash</dt>
      <dd className="min-w-0">
        <code className="break-all text-xs">{head.chainHash}</code>
      </dd>
    </dl>
  );
}
