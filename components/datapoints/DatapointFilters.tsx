// The list's filter form: a plain GET form, so filtering and searching work without
// JavaScript and every result set has a shareable URL.
import Link from "next/link";
import { defaultSort, MAX_SEARCH_LENGTH, type ListQuery } from "@/lib/datapoints/list-query";
import { KIND_LABEL, STATUS_LABEL } from "./labels";

type Props = {
  query: ListQuery;
  batches: { slug: string; title: string }[];
};

const SORT_LABEL = {
  relevance: "Best match",
  newest: "Newest",
  discussed: "Most discussed",
  closing: "Closing soon",
} as const;

const CATEGORY_LABEL = { helpfulness: "Helpfulness", harmlessness: "Harmlessness", honesty: "Honesty" } as const;

const field = "mt-1 block w-full rounded border border-gray-300 bg-white px-2 py-1.5 text-sm";

export function DatapointFilters({ query, batches }: Props) {
  // The default order is left unnamed, so a new search is ranked by relevance.
  const sort = query.sort === defaultSort(query) ? "" : query.sort;
  return (
    <form
      method="get"
      action="/datapoints"
      role="search"
      aria-label="Filter datapoints"
      className="grid gap-4 rounded-lg border border-gray-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3"
    >
      <div className="sm:col-span-2 lg:col-span-3">
        <label htmlFor="filter-q" className="text-sm font-medium">
          Search
        </label>
        <input
          id="filter-q"
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          maxLength={MAX_SEARCH_LENGTH}
          aria-describedby="filter-q-hint"
          className={field}
        />
        <p id="filter-q-hint" className="mt-1 text-xs text-muted">
          Searches titles, prompts, context and responses. Use &quot;quotes&quot; for a phrase, or and -word to exclude.
        </p>
      </div>
      <Select
        name="batch"
        label="Batch"
        value={query.batch}
        any="All batches"
        options={batches.map((b) => [b.slug, b.title])}
      />
      <Select
        name="status"
        label="Status"
        value={query.status}
        any="Any status"
        options={entries(STATUS_LABEL).filter(([s]) => s !== "DRAFT")}
      />
      <Select name="kind" label="Kind" value={query.kind} any="Any kind" options={entries(KIND_LABEL)} />
      <Select
        name="category"
        label="Category"
        value={query.category}
        any="Any category"
        options={entries(CATEGORY_LABEL)}
      />
      <Select
        name="sort"
        label="Sort by"
        value={sort}
        any="Best match, or newest without a search"
        options={entries(SORT_LABEL)}
      />
      <div className="flex items-end gap-3">
        <button type="submit" className="rounded bg-accent px-4 py-1.5 text-sm font-medium text-white">
          Apply
        </button>
        <Link href="/datapoints" className="py-1.5 text-sm text-accent underline-offset-2 hover:underline">
          Clear all
        </Link>
      </div>
    </form>
  );
}

type SelectProps = {
  name: string;
  label: string;
  value: string | undefined;
  any: string;
  options: (readonly [string, string])[];
};

function Select({ name, label, value, any, options }: SelectProps) {
  const id = `filter-${name}`;
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={field}>
        <option value="">{any}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}

function entries<T extends Record<string, string>>(labels: T): (readonly [string, string])[] {
  return Object.entries(labels);
}
