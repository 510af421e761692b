// Reads of the public audit views: one datapoint's story, and the browsable log. Only
// public facts leave here: people by pseudonym and the display name they had when the event
// was written (never email), comment text only while the comment is visible, drafts' titles
// not at all.
import { z } from "zod";
import { toHex } from "@/lib/audit/hash";
import { commentState } from "@/lib/comments/rules";
import { PUBLIC_STATUSES } from "@/lib/datapoints/list-query";
import { optionsView } from "@/lib/datapoints/rules";
import { reads } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DatapointStatus } from "@/lib/generated/prisma/enums";
import { peopleAt, type People } from "@/lib/users/names/data";
import { personLabel, type Person } from "@/lib/users/names/rules";
import {
  describeEvent,
  eventFacts,
  eventTime,
  parseBody,
  userIdsOf,
  type CommentNow,
  type Fact,
  type Naming,
} from "./rules";
import { AUDIT_PAGE_SIZE, SYSTEM_ACTOR, type AuditQuery } from "./schema";

const VISIBLE: DatapointStatus[] = [...PUBLIC_STATUSES];
/** Batch-level events that shape every datapoint of the batch. */
const BATCH_TYPES = ["batch.created", "batch.opened", "batch.closed", "batch.policy_changed"];
/** A story longer than this points to the paged log for the rest. */
export const STORY_LIMIT = 1_000;

type Row = {
  seq: bigint;
  type: string;
  body: string;
  leaf_hash: Uint8Array;
  recorded_at: Date;
  datapoint_id: string | null;
};

export type EventView = {
  seq: bigint;
  type: string;
  time: Date;
  /** null: the system (or a body without an actor). */
  actor: Person | null;
  sentence: string;
  facts: Fact[];
  /** The exact canonical JSON that was hashed. */
  body: string;
  leafHash: string;
  datapointId: string | null;
  /** For comment.posted / comment.edited: which comment and version the event wrote. */
  comment: { id: string; version: number } | null;
};

const UNKNOWN: Person = { name: "an unknown account", pseudonym: "" };

/** Names for one event's body: each person as they were named just before the event's seq. */
function naming(people: People, seq: bigint, option?: (id: unknown) => string): Naming {
  return {
    person: (id) => {
      if (id === null) return "the system";
      const person = typeof id === "string" ? people({ userId: id, seq }) : undefined;
      return person ? personLabel(person) : UNKNOWN.name;
    },
    option,
  };
}

async function toViews(rows: Row[], option?: (id: unknown) => string): Promise<EventView[]> {
  const bodies = rows.map((r) => parseBody(r.body));
  const people = await peopleAt(
    rows.flatMap((row, i) => userIdsOf(bodies[i]!).map((userId) => ({ userId, seq: row.seq }))),
  );
  return rows.map((row, i) => {
    const body = bodies[i]!;
    const actorId = body?.actorId;
    const names = naming(people, row.seq, option);
    const version = row.type === "comment.posted" ? 1 : row.type === "comment.edited" ? Number(body?.version) : null;
    return {
      seq: row.seq,
      type: row.type,
      time: eventTime(body, row.recorded_at),
      actor: typeof actorId === "string" ? (people({ userId: actorId, seq: row.seq }) ?? UNKNOWN) : null,
      sentence: describeEvent(row.type, body, names),
      facts: eventFacts(row.type, body, names),
      body: row.body,
      leafHash: toHex(row.leaf_hash),
      datapointId: row.datapoint_id,
      comment: version !== null && typeof body?.commentId === "string" ? { id: body.commentId, version } : null,
    };
  });
}

const COLUMNS = Prisma.sql`seq, type, body, leaf_hash, recorded_at, datapoint_id::text AS datapoint_id`;

/** Everything the log and the tables say about how one public datapoint's label was decided. */
export async function getStory(datapointId: string) {
  if (!z.uuid().safeParse(datapointId).success) return null;
  // One source for every read (the replica when it can serve this client): lib/database/read-routing.ts.
  return reads.scope({}, () => story(datapointId));
}

async function story(datapointId: string) {
  const db = reads.client();
  const datapoint = await db.datapoint.findFirst({
    where: { id: datapointId, status: { in: VISIBLE } },
    select: {
      id: true,
      title: true,
      kind: true,
      labelOptions: true,
      status: true,
      finalLabel: true,
      batchId: true,
      batch: { select: { slug: true, title: true } },
    },
  });
  if (!datapoint) return null;
  const captions = new Map(optionsView(datapoint.kind, datapoint.labelOptions).options.map((o) => [o.id, o.caption]));
  const option = (id: unknown) => (typeof id === "string" ? (captions.get(id) ?? id) : String(id));

  const [own, batch] = await Promise.all([
    db.$queryRaw<
      Row[]
    >`SELECT ${COLUMNS} FROM audit_events WHERE datapoint_id = ${datapointId}::uuid ORDER BY seq LIMIT ${STORY_LIMIT + 1}`,
    // Batch events carry no datapoint id; querying the body as jsonb is fine, storing it so is not.
    db.$queryRaw<Row[]>`
      SELECT ${COLUMNS} FROM audit_events
       WHERE type IN (${Prisma.join(BATCH_TYPES)}) AND body::jsonb ->> 'batchId' = ${datapoint.batchId}
       ORDER BY seq`,
  ]);
  const truncated = own.length > STORY_LIMIT;
  const shown = own.slice(0, STORY_LIMIT);
  const lastShown = shown.at(-1)?.seq;
  // Past the cut only batch events up to it are kept, so the story stays one unbroken prefix.
  const rows = [...shown, ...batch.filter((b) => !truncated || (lastShown !== undefined && b.seq < lastShown))].sort(
    (a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0),
  );

  const [events, comments, decisions, appeals] = await Promise.all([
    toViews(rows, option),
    commentsNow(datapointId),
    db.decision.findMany({
      where: { datapointId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        label: true,
        status: true,
        rationale: true,
        isOverride: true,
        overrideReason: true,
        confirmedAt: true,
        createdAt: true,
        lastSeq: true,
        voteDigest: true,
        policyHash: true,
        policy: { select: { name: true, version: true } },
        moderatorId: true,
        confirmedById: true,
      },
    }),
    db.appeal.findMany({
      where: { datapointId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      // The appeal's own reason is not selected: the log keeps it by hash only, like a comment body.
      select: {
        id: true,
        decisionId: true,
        status: true,
        resolution: true,
        createdAt: true,
        resolvedAt: true,
        appellantId: true,
        resolvedById: true,
      },
    }),
  ]);
  // Records are named as of when they were made (decided, confirmed, filed, resolved).
  const at = (userId: string | null, when: Date | null) => (userId && when ? { userId, at: when } : null);
  const points = [
    ...decisions.flatMap((d) => [at(d.moderatorId, d.createdAt), at(d.confirmedById, d.confirmedAt ?? d.createdAt)]),
    ...appeals.flatMap((a) => [at(a.appellantId, a.createdAt), at(a.resolvedById, a.resolvedAt ?? a.createdAt)]),
  ].filter((p) => p !== null);
  const people = await peopleAt(points);
  const person = (userId: string | null, when: Date | null): Person | null => {
    const point = at(userId, when);
    return point ? (people(point) ?? UNKNOWN) : null;
  };
  return {
    datapoint: {
      id: datapoint.id,
      title: datapoint.title,
      status: datapoint.status,
      batch: datapoint.batch,
      finalLabel: datapoint.finalLabel ? option(datapoint.finalLabel) : null,
    },
    events,
    truncated,
    comments,
    decisions: decisions.map(({ moderatorId, confirmedById, ...d }) => ({
      ...d,
      label: option(d.label),
      moderator: person(moderatorId, d.createdAt)!,
      confirmedBy: person(confirmedById, d.confirmedAt ?? d.createdAt),
    })),
    appeals: appeals.map(({ appellantId, resolvedById, ...a }) => ({
      ...a,
      appellant: person(appellantId, a.createdAt)!,
      resolvedBy: person(resolvedById, a.resolvedAt ?? a.createdAt),
    })),
  };
}

type Story = NonNullable<Awaited<ReturnType<typeof getStory>>>;
export type StoryDecision = Story["decisions"][number];
export type StoryAppeal = Story["appeals"][number];

/** Each comment's public state now; its text only while visible. */
async function commentsNow(datapointId: string): Promise<Map<string, CommentNow>> {
  const rows = await reads.client().comment.findMany({
    where: { datapointId },
    select: { id: true, body: true, currentVersion: true, deletedAt: true, hiddenAt: true, redactedAt: true },
  });
  return new Map(
    rows.map((c) => {
      const state = commentState(c);
      return [c.id, { state, version: c.currentVersion, body: state === "visible" ? c.body : null }];
    }),
  );
}

export type AuditPage = {
  events: EventView[];
  /** Titles of the public datapoints the events concern (drafts are left out). */
  datapoints: Map<string, string>;
  /** Seq cursors for the neighbouring pages; null when there is none. */
  olderBefore: bigint | null;
  newerAfter: bigint | null;
  /** The actor filter named no account. */
  unknownActor: boolean;
};

/**
 * The events of one actor (null: the system), in the expression the index
 * audit_events_actor_seq_idx is built on (plenary_event_actor, migration
 * …_audit_events_actor_index), so the filter reads that actor's events only.
 */
export function actorCondition(userId: string | null): Prisma.Sql {
  return userId === null
    ? Prisma.sql`plenary_event_actor(body) IS NULL`
    : Prisma.sql`plenary_event_actor(body) = ${userId}`;
}

/** One page of the log, newest first, matching the filters; keyset pagination by seq. */
export async function findAuditEvents(query: AuditQuery, take = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  return reads.scope({}, () => auditEvents(query, take));
}

async function auditEvents(query: AuditQuery, take: number): Promise<AuditPage> {
  const db = reads.client();
  const empty: AuditPage = {
    events: [],
    datapoints: new Map(),
    olderBefore: null,
    newerAfter: null,
    unknownActor: false,
  };
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.type) conditions.push(Prisma.sql`type = ${query.type}`);
  if (query.datapoint) conditions.push(Prisma.sql`datapoint_id = ${query.datapoint}::uuid`);
  if (query.from !== undefined) conditions.push(Prisma.sql`seq >= ${query.from}`);
  if (query.to !== undefined) conditions.push(Prisma.sql`seq <= ${query.to}`);
  if (query.actor === SYSTEM_ACTOR) {
    conditions.push(actorCondition(null));
  } else if (query.actor) {
    const user = await db.user.findUnique({ where: { pseudonym: query.actor }, select: { id: true } });
    if (!user) return { ...empty, unknownActor: true };
    conditions.push(actorCondition(user.id));
  }
  const where = (extra?: Prisma.Sql) => Prisma.join(extra ? [...conditions, extra] : conditions, " AND ");
  const exists = async (extra: Prisma.Sql) =>
    (await db.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM audit_events WHERE ${where(extra)} LIMIT 1`).length > 0;

  const position = query.position;
  const newerFirst = !position || "before" in position;
  const bound = !position
    ? undefined
    : "before" in position
      ? Prisma.sql`seq < ${position.before}`
      : Prisma.sql`seq > ${position.after}`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${COLUMNS} FROM audit_events WHERE ${where(bound)}
     ORDER BY seq ${Prisma.raw(newerFirst ? "DESC" : "ASC")} LIMIT ${take + 1}`;
  // One row more than a page says whether the log goes on in the reading direction.
  const more = rows.length > take;
  const page = newerFirst ? rows.slice(0, take) : rows.slice(0, take).reverse();
  const newest = page[0]?.seq;
  const oldest = page.at(-1)?.seq;

  let olderBefore: bigint | null = null;
  let newerAfter: bigint | null = null;
  if (newerFirst) {
    if (more && oldest !== undefined) olderBefore = oldest;
    // Reading down from a cursor, the page above is there only if something matches above it.
    if (position && "before" in position) {
      const edge = newest ?? position.before - 1n;
      if (await exists(Prisma.sql`seq > ${edge}`)) newerAfter = edge;
    }
  } else if (position && "after" in position) {
    if (more && newest !== undefined) newerAfter = newest;
    const edge = oldest ?? position.after + 1n;
    if (await exists(Prisma.sql`seq < ${edge}`)) olderBefore = edge;
  }

  const ids = [...new Set(page.flatMap((r) => (r.datapoint_id ? [r.datapoint_id] : [])))];
  const [events, titles] = await Promise.all([
    toViews(page),
    ids.length
      ? db.datapoint.findMany({
          where: { id: { in: ids }, status: { in: VISIBLE } },
          select: { id: true, title: true },
        })
      : [],
  ]);
  return {
    events,
    datapoints: new Map(titles.map((d) => [d.id, d.title])),
    olderBefore,
    newerAfter,
    unknownActor: false,
  };
}

/** The log's head: the last seq and its chain hash (hex); null before the first event. */
export async function getAuditHead(): Promise<{ lastSeq: bigint; chainHash: string } | null> {
  const head = await reads.page((db) =>
    db.auditHead.findUnique({ where: { id: 1 }, select: { lastSeq: true, chainHash: true } }),
  );
  return head && head.lastSeq > 0n ? { lastSeq: head.lastSeq, chainHash: toHex(head.chainHash) } : null;
}
