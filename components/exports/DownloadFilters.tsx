// The /data filter form: a plain GET form back to /data, so it works without JavaScript and
// every choice of filters has a shareable address; the download links below carry them.
import Link from "next/link";
import type { ExportFilters, StatusFilter } from "@/lib/exports/schema";

const field = "mt-1 block w-full rounded border border-gray-300 bg-white px-2 py-1.5 text-sm";

const STATUS_CHOICES: { value: StatusFilter; label: string }[] = [
  { value: "FINALIZED", label: "Final labels only" },
  { value: "any", label: "Every published datapoint" },
  { value: "CLOSED", label: "Closed, awaiting a decision" },
  { value: "OPEN", label: "Open for voting" },
  { value: "REOPENED", label: "Reopened after an appeal" },
];

type Props = { filters: ExportFilters; batches: { slug: string; title: string }[] };

export function DownloadFilters({ filters, batches }: Props) {
  return (
    <form
      method="get"
      action="/data"
      role="search"
      aria-label="Choose the datapoints to download"
      className="grid gap-4 rounded-lg border border-gray-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3"
    >
      <div>
        <label htmlFor="data-batch" className="text-sm font-medium">
          Batch
        </label>
        <select id="data-batch" name="batch" defaultValue={filters.batch ?? ""} className={field}>
          <option value="">All batches</option>
          {batches.map((b) => (
            <option key={b.slug} value={b.slug}>
              {b.title}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="data-status" className="text-sm font-medium">
          Status
        </label>
        <select
          id="data-status"
          name="status"
          defaultValue={filters.status}
          aria-describedby="data-status-hint"
          className={field}
        >
          {STATUS_CHOICES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <p id="data-status-hint" className="mt-1 text-xs text-muted">
          Only final labels go into training files; the others help study the process.
        </p>
      </div>
      <Share
        name="minAgreement"
        label="Minimum agreement"
        value={filters.minAgreement}
        hint="Share of votes for the most-chosen option, 0 to 1 (e.g. 0.7)."
      />
      <Share
        name="minMargin"
        label="Minimum margin"
        value={filters.minMargin}
        hint="The winner's lead in weighted share, 0 to 1 (e.g. 0.2)."
      />
      <DateInput name="from" label="Decided from" value={filters.from} />
      <DateInput name="to" label="Decided until" value={filters.to} hint="Inclusive: the whole day counts." />
      <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-3">
        <button type="submit" className="rounded bg-accent px-4 py-1.5 text-sm font-medium text-white">
          Apply to the links
        </button>
        <Link href="/data" className="py-1.5 text-sm text-accent underline-offset-2 hover:underline">
          Clear all
        </Link>
        <p className="text-xs text-muted">
          Agreement, margin and dates apply to final labels; other datapoints never pass them.
        </p>
      </div>
    </form>
  );
}

function Share({ name, label, value, hint }: { name: string; label: string; value: number | undefined; hint: string }) {
  const id = `data-${name}`;
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="number"
        min={0}
        max={1}
        step="any"
        inputMode="decimal"
        defaultValue={value ?? ""}
        aria-describedby={`${id}-hint`}
        className={field}
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
        {hint}
      </p>
    </div>
  );
}

function DateInput({
  name,
  label,
  value,
  hint,
}: {
  name: string;
  label: string;
  value: string | undefined;
  hint?: string;
}) {
  const id = `data-${name}`;
  // type=date only holds a day: an instant given in the address stays out of the form but in the links.
  const day = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "";
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label} (UTC)
      </label>
      <input
        id={id}
        name={name}
        type="date"
        defaultValue={day}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className={field}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}
