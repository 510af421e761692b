// Query parameters of the downloads (/api/exports/…, the /data page's form and the export
// CLI). Every failure is one sentence for a 400. Objects are strict: a mistyped filter
// ("minAgreemnt") silently ignored would hand a researcher the wrong dataset, so unknown
// parameters are refused. The shapes are exported for the OpenAPI description.
import { z } from "zod";
import { slug } from "@/lib/domain/schema";

/** Datapoint statuses a download can select; FINALIZED means "final label as of the cut". */
export const STATUSES = ["FINALIZED", "CLOSED", "OPEN", "REOPENED", "any"] as const;
const DECISION_STATUSES = ["FINAL", "SUPERSEDED", "PENDING_CONFIRMATION", "DECLINED", "any"] as const;
export type StatusFilter = (typeof STATUSES)[number];
export type DecisionStatusFilter = (typeof DECISION_STATUSES)[number];

/** Rows one request may ask for with `limit` (the rest follows from X-Next-Cursor). */
const MAX_LIMIT = 1_000_000;

/** A form field left empty means "no filter", not "filter on the empty string". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

function count(name: string) {
  return z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, `${name} must be a whole number from 1 up, written in digits.`)
    .transform(Number)
    .refine(Number.isSafeInteger, `${name} is too large.`);
}

function share(name: string) {
  return z
    .string()
    .regex(/^(?:0|1|0?\.[0-9]{1,12}|1\.0{1,12})$/, `${name} must be a number from 0 to 1, such as 0.7.`)
    .transform(Number);
}

/** A day (YYYY-MM-DD, UTC) or an instant with its offset (2026-11-27T09:00:00Z). */
function when(name: string) {
  return z
    .string()
    .refine(
      (text) => parseWhen(text) !== null,
      `${name} must be a date such as 2026-11-27, or a date and time such as 2026-11-27T09:00:00Z.`,
    );
}

function choice<const T extends readonly string[]>(name: string, values: T) {
  const byLowerCase = new Map(values.map((value) => [value.toLowerCase(), value]));
  return z
    .string()
    .transform((text) => byLowerCase.get(text.toLowerCase()) ?? text)
    .pipe(z.enum(values, { error: `${name} must be one of ${values.join(", ")}.` }));
}

const batchSlug = slug("batch must be a batch's slug, such as helpfulness-2026-11.");

/** The filters that choose datapoints; every file of a release is about the same datapoints. */
const filterShape = {
  batch: optional(batchSlug),
  status: optional(choice("status", STATUSES)),
  minAgreement: optional(share("minAgreement")),
  minMargin: optional(share("minMargin")),
  from: optional(when("from")),
  to: optional(when("to")),
};

/** The log position the export describes (default: the log's head when the request starts). */
const cutShape = { asOfSeq: optional(count("asOfSeq")) };

const pageShape = {
  /** Opaque: the X-Next-Cursor of the previous response. */
  cursor: optional(z.string().min(1).max(512)),
  limit: optional(
    count("limit").refine((n) => n <= MAX_LIMIT, `limit must be at most ${MAX_LIMIT.toLocaleString("en-US")}.`),
  ),
};

function unknownParameter(issue: { code?: string; keys?: string[] }) {
  if (issue.code !== "unrecognized_keys" || !issue.keys) return undefined;
  return `Unknown parameter ${issue.keys.map((key) => `"${key}"`).join(", ")}; see /data for the parameters each download takes.`;
}

const strict = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: unknownParameter });

// zod runs this refinement even when `from` or `to` failed to parse (that has its own issue),
// so only dates that parse are compared.
const datesInOrder = (q: { from?: string; to?: string }) => {
  const from = q.from ? parseWhen(q.from) : null;
  const to = q.to ? parseWhen(q.to) : null;
  return !from || !to || from.getTime() <= to.getTime();
};
const DATES_IN_ORDER = { message: "from must not be later than to.", path: ["to"] };

export const datasetQuery = strict({ ...filterShape, ...cutShape, ...pageShape }).refine(datesInOrder, DATES_IN_ORDER);
export const decisionsQuery = strict({
  ...filterShape,
  ...cutShape,
  ...pageShape,
  decisionStatus: optional(choice("decisionStatus", DECISION_STATUSES)),
}).refine(datesInOrder, DATES_IN_ORDER);
export const policiesQuery = strict({ ...filterShape, ...cutShape }).refine(datesInOrder, DATES_IN_ORDER);

export const auditQuery = strict({ fromSeq: optional(count("fromSeq")), toSeq: optional(count("toSeq")) }).refine(
  (q) => q.fromSeq === undefined || q.toSeq === undefined || q.fromSeq <= q.toSeq,
  { message: "fromSeq must not be larger than toSeq.", path: ["toSeq"] },
);
export const checkpointsQuery = strict({
  fromTreeSize: optional(count("fromTreeSize")),
  toTreeSize: optional(count("toTreeSize")),
}).refine((q) => q.fromTreeSize === undefined || q.toTreeSize === undefined || q.fromTreeSize <= q.toTreeSize, {
  message: "fromTreeSize must not be larger than toTreeSize.",
  path: ["toTreeSize"],
});
/** A release: the filters, at a signed checkpoint (default: the latest). */
export const manifestQuery = strict({ ...filterShape, treeSize: optional(count("treeSize")) }).refine(
  datesInOrder,
  DATES_IN_ORDER,
);

/** Filters as the data layer takes them: `from` and `to` stay as given, so links can repeat them. */
export type ExportFilters = {
  batch?: string;
  status: StatusFilter;
  minAgreement?: number;
  minMargin?: number;
  from?: string;
  to?: string;
};

export function filtersOf(query: {
  batch?: string;
  status?: StatusFilter;
  minAgreement?: number;
  minMargin?: number;
  from?: string;
  to?: string;
}): ExportFilters {
  const { batch, status, minAgreement, minMargin, from, to } = query;
  return dropUndefined({ batch, status: status ?? "FINALIZED", minAgreement, minMargin, from, to }) as ExportFilters;
}

/** The filters as query parameters, defaults left out: links and manifest paths use these. */
export function filterParams(filters: ExportFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.batch) params.set("batch", filters.batch);
  if (filters.status !== "FINALIZED") params.set("status", filters.status);
  if (filters.minAgreement !== undefined) params.set("minAgreement", String(filters.minAgreement));
  if (filters.minMargin !== undefined) params.set("minMargin", String(filters.minMargin));
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  return params;
}

/** A day starts at 00:00 UTC; an instant is taken as written. Null when neither. */
function parseWhen(text: string): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = new Date(`${text}T00:00:00.000Z`);
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? null : day;
  }
  if (!z.iso.datetime({ offset: true }).safeParse(text).success) return null;
  return new Date(text);
}

/** Decision times to keep: [from, before). A day given as `to` includes that whole day. */
export function decisionTimeRange(filters: Pick<ExportFilters, "from" | "to">): { from?: Date; before?: Date } {
  const range: { from?: Date; before?: Date } = {};
  if (filters.from) range.from = parseWhen(filters.from)!;
  if (filters.to) {
    const to = parseWhen(filters.to)!;
    range.before = new Date(to.getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(filters.to) ? 86_400_000 : 1));
  }
  return range;
}

export type FormFilters = { filters: ExportFilters; problems: string[] };

/**
 * The /data page's GET form: each field is checked on its own, so one bad field is reported
 * and dropped while the others still apply to the links.
 */
export function parseFilterForm(searchParams: Record<string, string | string[] | undefined>): FormFilters {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(filterShape)) {
    const raw = searchParams[name];
    const text = Array.isArray(raw) ? raw[0] : raw;
    const parsed = (schema as z.ZodType).safeParse(text?.trim());
    if (parsed.success) values[name] = parsed.data;
    else problems.push(parsed.error.issues[0]!.message);
  }
  if (!datesInOrder(values as { from?: string; to?: string })) {
    problems.push(DATES_IN_ORDER.message);
    delete values.to;
  }
  return { filters: filtersOf(values), problems };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
