// The query string of the public datapoint list (/datapoints): filters, full-text search,
// sort order and page cursor. Anyone can type any URL, so every parameter is validated on
// its own: a bad one is reported and left out, and the rest of the list still works.
import { z } from "zod";
import { decodeCursor, type CursorKey } from "./cursor";
import { CATEGORIES } from "./schema";
import { DATAPOINT_KINDS } from "@/lib/domain/schema";

/** Statuses anyone may see; drafts are not public. */
export const PUBLIC_STATUSES = ["OPEN", "CLOSED", "FINALIZED", "REOPENED"] as const;
const KINDS = DATAPOINT_KINDS;
const SORTS = ["relevance", "newest", "discussed", "closing"] as const;
export const PAGE_SIZE = 20;
export const MAX_SEARCH_LENGTH = 200;

type PublicStatus = (typeof PUBLIC_STATUSES)[number];
type Kind = (typeof KINDS)[number];
type Category = (typeof CATEGORIES)[number];
export type Sort = (typeof SORTS)[number];

export type ListFilters = {
  batch?: string;
  status?: PublicStatus;
  kind?: Kind;
  category?: Category;
  /** websearch syntax: words, "quoted phrases", or, -excluded. */
  q?: string;
};

export type ListQuery = ListFilters & {
  sort: Sort;
  /** Start after this row (a decoded cursor); absent on the first page. */
  after?: CursorKey;
};

export type ParsedListQuery = { query: ListQuery; problems: string[] };

/** Next's searchParams: a repeated parameter arrives as an array. */
export type SearchParams = Record<string, string | string[] | undefined>;

const upper = (value: unknown) => (typeof value === "string" ? value.toUpperCase() : value);
const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value);

const fields = {
  batch: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .max(80),
  status: z.preprocess(upper, z.enum(PUBLIC_STATUSES)),
  kind: z.preprocess(upper, z.enum(KINDS)),
  category: z.preprocess(lower, z.enum(CATEGORIES)),
  // Control characters cannot reach PostgreSQL text (NUL is refused outright) and mean nothing
  // in a search, so they become spaces before the length check.
  q: z
    .string()
    .transform((s) =>
      s
        .replace(/[\u0000-\u001f\u007f]+/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .pipe(z.string().max(MAX_SEARCH_LENGTH)),
  sort: z.preprocess(lower, z.enum(SORTS)),
};

const PROBLEM: Record<keyof typeof fields, (value: string) => string> = {
  batch: (v) => `“${v}” is not a batch name (lower-case letters, digits and hyphens); showing all batches.`,
  status: (v) =>
    v.toUpperCase() === "DRAFT"
      ? "Drafts are not public; showing every public status."
      : `“${v}” is not a status (open, closed, finalized or reopened); showing every status.`,
  kind: (v) => `“${v}” is not a kind (pairwise, rating or classification); showing every kind.`,
  category: (v) => `“${v}” is not a category (helpfulness, harmlessness or honesty); showing every category.`,
  q: () => `A search can be at most ${MAX_SEARCH_LENGTH} characters; showing results without it.`,
  sort: (v) => `“${v}” is not a sort order; showing the default order.`,
};

const NAMES: Record<keyof typeof fields | "cursor", string> = {
  batch: "Batch",
  status: "Status",
  kind: "Kind",
  category: "Category",
  q: "Search",
  sort: "Sort",
  cursor: "Page",
};

/** Validates the list's query string; never throws. Unknown parameters are ignored. */
export function parseListQuery(params: SearchParams): ParsedListQuery {
  const problems: string[] = [];
  const read = (name: keyof typeof NAMES): string | undefined => {
    const value = params[name];
    if (Array.isArray(value)) {
      problems.push(`${NAMES[name]} was given more than once; it is ignored.`);
      return undefined;
    }
    // An empty value is what a form's "any" choice submits: no filter.
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const field = <K extends keyof typeof fields>(name: K): z.output<(typeof fields)[K]> | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    const parsed = fields[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.output<(typeof fields)[K]>;
    problems.push(PROBLEM[name](raw.length > 80 ? `${raw.slice(0, 80)}…` : raw));
    return undefined;
  };

  const filters: ListFilters = {
    batch: field("batch"),
    status: field("status"),
    kind: field("kind"),
    category: field("category"),
    q: field("q") || undefined,
  };
  let sort = field("sort") ?? defaultSort(filters);
  if (sort === "relevance" && !filters.q) {
    problems.push("Sorting by relevance needs a search; showing the newest first.");
    sort = "newest";
  }

  const query: ListQuery = { ...stripUndefined(filters), sort };
  const cursor = read("cursor");
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, sort);
    if (after) query.after = after;
    else problems.push("This page link is damaged or out of date; showing the first page instead.");
  }
  return { query, problems };
}

/** Relevance when searching, else newest first. */
export function defaultSort(filters: Pick<ListFilters, "q">): Sort {
  return filters.q ? "relevance" : "newest";
}

/** The list's URL for these filters (and a cursor for a later page); defaults are left out. */
export function listHref(query: ListFilters & { sort: Sort }, cursor?: string): string {
  const params = new URLSearchParams();
  for (const name of ["q", "batch", "status", "kind", "category"] as const) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  if (query.sort !== defaultSort(query)) params.set("sort", query.sort);
  if (cursor) params.set("cursor", cursor);
  const search = params.toString();
  return search ? `/datapoints?${search}` : "/datapoints";
}

/** True when any filter or search narrows the list. */
export function isFiltered(query: ListFilters): boolean {
  return Boolean(query.batch || query.status || query.kind || query.category || query.q);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
