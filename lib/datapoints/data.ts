import { reads } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DatapointKind, DatapointStatus } from "@/lib/generated/prisma/enums";
import { cache } from "react";
import { z } from "zod";
import { encodeCursor, type CursorKey } from "./cursor";
import { PAGE_SIZE, PUBLIC_STATUSES, type ListFilters, type ListQuery, type Sort } from "./list-query";
import { responseSchema } from "./schema";

const VISIBLE: DatapointStatus[] = [...PUBLIC_STATUSES];

/** Batches open for voting now, with how many datapoints each holds. */
export async function listOpenBatches(now = new Date()) {
  const batches = await reads.page((db) =>
    db.batch.findMany({
      where: { opensAt: { lte: now }, closesAt: { gt: now } },
      orderBy: [{ closesAt: "asc" }, { slug: "asc" }],
      select: {
        id: true,
        slug: true,
        title: true,
        description: true,
        closesAt: true,
        policy: { select: { name: true, version: true } },
        _count: { select: { datapoints: { where: { status: { in: VISIBLE } } } } },
      },
    }),
  );
  return batches.map(({ _count, ...batch }) => ({ ...batch, datapointCount: _count.datapoints }));
}

/** The newest published datapoints, optionally within one batch (the home page's list). */
export async function listDatapoints(options: { batchSlug?: string; take?: number } = {}) {
  const page = await findDatapoints({ batch: options.batchSlug, sort: "newest" }, { take: options.take ?? PAGE_SIZE });
  return page.items;
}

/** Batches that have public datapoints, for the list's batch filter. */
export async function listBatchChoices() {
  return reads.page((db) =>
    db.batch.findMany({
      where: { datapoints: { some: { status: { in: VISIBLE } } } },
      orderBy: [{ opensAt: "desc" }, { slug: "asc" }],
      select: { slug: true, title: true },
    }),
  );
}

export type DatapointListItem = {
  id: string;
  title: string;
  kind: DatapointKind;
  category: string;
  status: DatapointStatus;
  createdAt: Date;
  commentCount: number;
  batch: { slug: string; title: string; closesAt: Date };
};

export type DatapointPage = {
  items: DatapointListItem[];
  /** Cursor of the page after this one; null on the last page. */
  nextCursor: string | null;
  /** Cursor of the page before this one; null on the first page. */
  prevCursor: string | null;
  /** The moment "still open" was judged at (kept across the pages of one walk). */
  at: Date;
};

/**
 * One page of public datapoints matching `query`, in its sort order, after `query.after`
 * (or, for a backward cursor, just before it). Keyset pagination: each sort orders by its key
 * and then the id, and a page starts strictly after the previous page's last (key, id), so
 * walking the pages meets every row once, and a page costs the same however deep it is.
 */
export async function findDatapoints(
  query: ListQuery,
  options: { take?: number; now?: Date } = {},
): Promise<DatapointPage> {
  const take = options.take ?? PAGE_SIZE;
  const { after } = query;
  const at = after?.s === "closing" ? new Date(after.at) : (options.now ?? new Date());
  const key = KEY[query.sort];
  const forward = !after?.back;
  // Backwards: read the rows just before the cursor in reverse order, then turn them round.
  const descending = key.descending === forward;
  const columns = Prisma.raw(key.columns.join(", "));
  const rows = await reads.page(
    (db) => db.$queryRaw<ListRow[]>`
    SELECT * FROM (
      SELECT d.id, d.title, d.kind::text AS kind, d.category, d.status::text AS status, d.created_at,
             b.slug AS batch_slug, b.title AS batch_title, b.closes_at,
             (SELECT count(*)::int FROM comments c WHERE c.datapoint_id = d.id AND c.deleted_at IS NULL) AS comment_count,
             ${query.q ? Prisma.sql`ts_rank(d.search_vector, websearch_to_tsquery('english', ${query.q}))` : Prisma.sql`0::real`} AS rank,
             ${closedSql(at)} AS closed,
             -- Open ones by closing time, soonest first; then closed ones, most recently closed first.
             (CASE WHEN ${closedSql(at)} = 0 THEN 1 ELSE -1 END
               * round(extract(epoch FROM b.closes_at) * 1000))::float8 AS closing_key
        FROM datapoints d JOIN batches b ON b.id = d.batch_id
       WHERE ${whereSql(query)}
    ) AS matching
    WHERE ${after ? Prisma.sql`(${columns}) ${Prisma.raw(descending ? "<" : ">")} ${keyOf(after)}` : Prisma.sql`TRUE`}
    ORDER BY ${Prisma.raw(key.columns.map((column) => `${column} ${descending ? "DESC" : "ASC"}`).join(", "))}
    LIMIT ${take + 1}`,
  );
  // One row more than a page says whether there is another page in the reading direction.
  const more = rows.length > take;
  const page = forward ? rows.slice(0, take) : rows.slice(0, take).reverse();
  // Coming back from a later page, that page still follows; going forward from a cursor,
  // the rows before it are still there.
  const hasNext = forward ? more : true;
  const hasPrev = forward ? after !== undefined : more;
  const cursor = (row: ListRow | undefined, back: boolean) =>
    row ? encodeCursor(cursorOf(query.sort, row, at, back)) : null;
  return {
    items: page.map(toItem),
    nextCursor: hasNext ? cursor(page.at(-1), false) : null,
    prevCursor: hasPrev ? cursor(page[0], true) : null,
    at,
  };
}

/** How many public datapoints match the filters and search (all pages). */
export async function countDatapoints(filters: ListFilters): Promise<number> {
  const [row] = await reads.page(
    (db) => db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM datapoints d JOIN batches b ON b.id = d.batch_id WHERE ${whereSql(filters)}`,
  );
  return row?.n ?? 0;
}

type ListRow = {
  id: string;
  title: string;
  kind: DatapointKind;
  category: string;
  status: DatapointStatus;
  created_at: Date;
  batch_slug: string;
  batch_title: string;
  closes_at: Date;
  comment_count: number;
  rank: number;
  closed: 0 | 1;
  closing_key: number;
};

// Constants, not user input: the one place the public statuses become SQL.
const VISIBLE_SQL = Prisma.raw(VISIBLE.map((status) => `'${status}'`).join(", "));

function whereSql(filters: ListFilters): Prisma.Sql {
  const conditions = [Prisma.sql`d.status IN (${VISIBLE_SQL})`];
  if (filters.batch) conditions.push(Prisma.sql`b.slug = ${filters.batch}`);
  if (filters.status) conditions.push(Prisma.sql`d.status = ${filters.status}::"DatapointStatus"`);
  if (filters.kind) conditions.push(Prisma.sql`d.kind = ${filters.kind}::"DatapointKind"`);
  if (filters.category) conditions.push(Prisma.sql`d.category = ${filters.category}`);
  // Matches through the GIN index on search_vector (kept by a trigger, see the migration).
  if (filters.q) conditions.push(Prisma.sql`d.search_vector @@ websearch_to_tsquery('english', ${filters.q})`);
  return Prisma.join(conditions, " AND ");
}

/** 0 while the datapoint can still be voted on at `at`, else 1. */
function closedSql(at: Date): Prisma.Sql {
  const when = Prisma.sql`${at.toISOString()}::timestamptz`;
  return Prisma.sql`(CASE WHEN d.status IN ('OPEN', 'REOPENED') AND b.closes_at > ${when} THEN 0 ELSE 1 END)`;
}

// Each sort's key, ending in the id so no two rows tie. All columns of a key run the same
// direction, so "after the cursor" is one row comparison: (key…, id) < (cursor key…, cursor id).
const KEY: Record<Sort, { columns: string[]; descending: boolean }> = {
  newest: { columns: ["created_at", "id"], descending: true },
  discussed: { columns: ["comment_count", "id"], descending: true },
  relevance: { columns: ["rank", "id"], descending: true },
  closing: { columns: ["closed", "closing_key", "id"], descending: false },
};

/** The cursor's key as a row value, in the order of KEY's columns and with their types. */
function keyOf(after: CursorKey): Prisma.Sql {
  const id = Prisma.sql`${after.id}::uuid`;
  switch (after.s) {
    case "newest":
      return Prisma.sql`(${after.createdAt}::timestamptz, ${id})`;
    case "discussed":
      return Prisma.sql`(${after.comments}::int, ${id})`;
    case "relevance":
      return Prisma.sql`(${after.rank}::real, ${id})`;
    case "closing":
      return Prisma.sql`(${after.closed}::int, ${after.key}::float8, ${id})`;
  }
}

function cursorOf(sort: Sort, row: ListRow, at: Date, back: boolean): CursorKey {
  const direction = back ? { back: true as const } : {};
  switch (sort) {
    case "newest":
      return { s: "newest", createdAt: row.created_at.toISOString(), id: row.id, ...direction };
    case "discussed":
      return { s: "discussed", comments: row.comment_count, id: row.id, ...direction };
    case "relevance":
      return { s: "relevance", rank: row.rank, id: row.id, ...direction };
    case "closing":
      return { s: "closing", at: at.toISOString(), closed: row.closed, key: row.closing_key, id: row.id, ...direction };
  }
}

function toItem(row: ListRow): DatapointListItem {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    category: row.category,
    status: row.status,
    createdAt: row.created_at,
    commentCount: row.comment_count,
    batch: { slug: row.batch_slug, title: row.batch_title, closesAt: row.closes_at },
  };
}

const responsesSchema = z.array(responseSchema);

/**
 * One read per request: the page and its metadata both ask for the same datapoint. The
 * datapoint, its batch and the batch's policy are three queries sent together (an `include`
 * would send them one after another, each waiting for the last).
 */
export const getDatapoint = cache(async (id: string) => {
  if (!z.uuid().safeParse(id).success) return null;
  const [row, batch, policy] = await reads.page((db) =>
    Promise.all([
      db.datapoint.findFirst({ where: { id, status: { in: VISIBLE } } }),
      db.batch.findFirst({ where: { datapoints: { some: { id } } } }),
      db.votingPolicy.findFirst({
        where: { batches: { some: { datapoints: { some: { id } } } } },
        select: { name: true, version: true, contentHash: true },
      }),
    ]),
  );
  if (!row || !batch || !policy) return null;
  return { ...row, batch: { ...batch, policy }, responses: responsesSchema.parse(row.responses) };
});

/** The datapoint as the moderator deciding it sees it: from the primary, like the rest of moderation. */
export function getDatapointForModeration(id: string) {
  return reads.onPrimary(() => getDatapoint(id));
}
