// The log's filter form: a plain GET form, so filtering works without JavaScript and every
// view of the log has a shareable URL.
import Link from "next/link";
import { EVENT_TYPES, type AuditQuery } from "@/lib/audit/views/schema";

const field = "mt-1 block w-full rounded border border-gray-300 bg-white px-2 py-1.5 text-sm";

export function AuditFilters({ query }: { query: AuditQuery }) {
  const seq = (value: bigint | undefined) => (value === undefined ? "" : String(value));
  return (
    <form
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter the audit log"
      className="grid gap-4 rounded-lg border border-gray-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3"
    >
      <div>
        <label htmlFor="audit-type" className="text-sm font-medium">
          Event type
        </label>
        <select id="audit-type" name="type" defaultValue={query.type ?? ""} className={field}>
          <option value="">Every type</option>
          {EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <Input
        name="datapoint"
        label="Datapoint id"
        value={query.datapoint}
        hint="A datapoint's UUID, as in its address."
      />
      <Input name="actor" label="Actor" value={query.actor} hint="A pseudonym such as calm-otter-0412, or “system”." />
      <Input name="from" label="Seq from" value={seq(query.from)} numeric />
      <Input name="to" label="Seq to" value={seq(query.to)} numeric />
      <Input name="start" label="Start at seq" value="" numeric hint="Show this event and older ones first." />
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-3">
        <button type="submit" className="rounded bg-accent px-4 py-1.5 text-sm font-medium text-white">
          Apply
        </button>
        <Link href="/audit" className="py-1.5 text-sm text-accent underline-offset-2 hover:underline">
          Clear all
        </Link>
      </div>
    </form>
  );
}

type InputProps = { name: string; label: string; value: string | undefined; hint?: string; numeric?: boolean };

function Input({ name, label, value, hint, numeric }: InputProps) {
  const id = `audit-${name}`;
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        defaultValue={value ?? ""}
        inputMode={numeric ? "numeric" : undefined}
        autoComplete="off"
        spellCheck={false}
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
