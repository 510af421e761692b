// --previous: the new release extends the one checked before, under the same key.
import { Command } from "./Command";

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";

export function Continuity({ command }: { command: string }) {
  return (
    <div className="max-w-3xl space-y-2">
      <p>
        Keep the release you verified last time. Checked against it, a new release must be signed by the same key, and
        its log must extend the earlier release&apos;s signed cut: the earlier root is recomputed from the new trail (a
        consistency check), so no event the earlier release held was changed, removed or reordered since.
      </p>
      <Command testId="verify-previous-command">{command}</Command>
      <p className="text-sm text-muted">
        <code className={code}>--previous</code> takes a directory or a manifest address, like the release itself. If
        the key changed, the check fails: find out from the site why before you trust a new key.
      </p>
    </div>
  );
}
