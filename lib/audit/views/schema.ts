// The query string of the public audit log (/audit): filters, a seq range and a page
// position. Anyone can type any URL, so each parameter is validated on its own: a bad one
// is reported in a sentence and left out, and the rest of the page still works.
import { z } from "zod";
import { auditEventSchema, type AuditEventType } from "@/lib/audit/events";

/** Every event type the log knows, in the order events.ts declares them. */
export const EVENT_TYPES: readonly AuditEventType[] = auditEventSchema.options.map((o) => o.shape.type.value);

export const AUDIT_PAGE_SIZE = 50;
/** The actor filter's word for events no person caused (seed, scheduler, automatic hiding). */
export const SYSTEM_ACTOR = "system";

export type AuditFilters = {
  type?: AuditEventType;
  datapoint?: string;
  /** A pseudonym, or SYSTEM_ACTOR. */
  actor?: string;
  /** Inclusive seq range. */
  from?: bigint;
  to?: bigint;
};

/** Where a page starts: strictly older than `before`, or strictly newer than `after`. */
export type AuditPosition = { before: bigint } | { after: bigint };

export type AuditQuery = AuditFilters & { position?: AuditPosition };
export type ParsedAuditQuery = { query: AuditQuery; problems: string[] };
export type SearchParams = Record<string, string | string[] | undefined>;

// Seqs are bigints in the database; 18 digits stay far below its 2^63 limit.
const seq = z
  .string()
  .trim()
  .regex(/^\d{1,18}$/)
  .transform((s) => BigInt(s));

const fields = {
  type: z.enum(EVENT_TYPES as [AuditEventType, ...AuditEventType[]]),
  datapoint: z.uuid().transform((s) => s.toLowerCase()),
  actor: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .max(64),
  from: seq,
  to: seq,
  start: seq,
  before: seq,
  after: seq,
};
type Field = keyof typeof fields;

const shorten = (v: string) => (v.length > 80 ? `${v.slice(0, 80)}…` : v);

const PROBLEM: Record<Field, (value: string) => string> = {
  type: (v) => `“${v}” is not an event type; showing every type.`,
  datapoint: (v) => `“${v}” is not a datapoint id (a UUID); showing every datapoint.`,
  actor: (v) => `“${v}” is not a pseudonym (like calm-otter-0412) or “system”; showing every actor.`,
  from: (v) => `“${v}” is not a seq number (a whole number); the range has no lower end.`,
  to: (v) => `“${v}” is not a seq number (a whole number); the range has no upper end.`,
  start: (v) => `“${v}” is not a seq number to start at; showing the newest events.`,
  before: (v) => `This page link (before “${v}”) is damaged; showing the newest events.`,
  after: (v) => `This page link (after “${v}”) is damaged; showing the newest events.`,
};

const NAMES: Record<Field, string> = {
  type: "Event type",
  datapoint: "Datapoint",
  actor: "Actor",
  from: "Seq from",
  to: "Seq to",
  start: "Start at seq",
  before: "Page",
  after: "Page",
};

/** Validates the audit log's query string; never throws. Unknown parameters are ignored. */
export function parseAuditQuery(params: SearchParams): ParsedAuditQuery {
  const problems: string[] = [];
  const field = <K extends Field>(name: K): z.output<(typeof fields)[K]> | undefined => {
    const raw = params[name];
    if (Array.isArray(raw)) {
      problems.push(`${NAMES[name]} was given more than once; it is ignored.`);
      return undefined;
    }
    // An empty value is what the filter form's "any" choice submits: no filter.
    if (raw === undefined || raw.trim() === "") return undefined;
    const parsed = fields[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.output<(typeof fields)[K]>;
    problems.push(PROBLEM[name](shorten(raw)));
    return undefined;
  };

  const query: AuditQuery = {};
  const type = field("type");
  const datapoint = field("datapoint");
  const actor = field("actor");
  let from = field("from");
  let to = field("to");
  if (type) query.type = type;
  if (datapoint) query.datapoint = datapoint;
  if (actor) query.actor = actor;
  if (from !== undefined && to !== undefined && from > to) {
    problems.push(`The seq range ${from}–${to} ends before it starts; showing it the right way round.`);
    [from, to] = [to, from];
  }
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;

  const positions = (["before", "after", "start"] as const).filter(
    (name) => params[name] !== undefined && params[name] !== "",
  );
  if (positions.length > 1) {
    problems.push("A page can start at only one place; showing the newest events.");
  } else if (positions[0] === "start") {
    const start = field("start");
    // Starting at seq N shows N and older: the page after a cursor just above it.
    if (start !== undefined) query.position = { before: start + 1n };
  } else if (positions[0]) {
    const name = positions[0];
    const at = field(name);
    if (at !== undefined) query.position = name === "before" ? { before: at } : { after: at };
  }
  return { query, problems };
}

/** The audit log's URL for these filters and page position; absent values are left out. */
export function auditHref(filters: AuditFilters, position?: AuditPosition): string {
  const params = new URLSearchParams();
  if (filters.type) params.set("type", filters.type);
  if (filters.datapoint) params.set("datapoint", filters.datapoint);
  if (filters.actor) params.set("actor", filters.actor);
  if (filters.from !== undefined) params.set("from", String(filters.from));
  if (filters.to !== undefined) params.set("to", String(filters.to));
  if (position && "before" in position) params.set("before", String(position.before));
  if (position && "after" in position) params.set("after", String(position.after));
  const search = params.toString();
  return search ? `/audit?${search}` : "/audit";
}

/** True when any filter narrows the log. */
export function isFiltered(filters: AuditFilters): boolean {
  return Boolean(
    filters.type || filters.datapoint || filters.actor || filters.from !== undefined || filters.to !== undefined,
  );
}

/** A datapoint id from a URL segment, or null when it cannot be one. */
export function parseDatapointId(value: string): string | null {
  const parsed = z.uuid().safeParse(value);
  return parsed.success ? parsed.data.toLowerCase() : null;
}
