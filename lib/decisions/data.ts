import { eventSeqs } from "@/lib/audit/data";
import { batchBridging } from "@/lib/batches/data";
import { db, reads } from "@/lib/db";
import { currentTally } from "@/lib/votes/tallies/data";
import type { TallyOutput } from "@/lib/tally/tally";
import { NOT_YET_LOGGED, peopleAt, type NamePoint, type People } from "@/lib/users/names/data";
import type { Person } from "@/lib/users/names/rules";
import { QUEUE_ORDER, type QueueState } from "./rules";
import { recusalIn } from "./mutations";

/** A comment's author goes by their current name (the comment is their own content). */
const current = (u: { name: string | null; pseudonym: string }): Person => ({
  name: u.name ?? u.pseudonym,
  pseudonym: u.pseudonym,
});
/** Someone as named at a point of the record, so a later rename does not rewrite it. */
const named = (people: People, point: NamePoint): Person =>
  people(point) ?? { name: "an unknown account", pseudonym: "" };

type QueueItem = {
  id: string;
  title: string;
  batch: string;
  closesAt: Date;
  state: QueueState;
  tally: TallyOutput | null;
  openFlags: number;
};

/**
 * The moderators' queue in readiness order, with what else waits for them. Moderation reads
 * the primary, tallies included: moderators act on what it shows.
 */
export async function moderationQueue(batchSlug?: string) {
  return reads.onPrimary(() => queue(batchSlug));
}

async function queue(batchSlug: string | undefined) {
  const inBatch = batchSlug ? { batch: { slug: batchSlug } } : {};
  const candidates = await db.datapoint.findMany({
    where: {
      ...inBatch,
      OR: [{ status: { in: ["CLOSED", "REOPENED"] } }, { status: "OPEN", flags: { some: { resolvedAt: null } } }],
    },
    select: {
      id: true,
      title: true,
      status: true,
      batch: { select: { title: true, closesAt: true } },
      _count: { select: { flags: { where: { resolvedAt: null } } } },
    },
    take: 500,
  });
  const items: QueueItem[] = [];
  for (const d of candidates) {
    const tally = d.status === "OPEN" ? null : await currentTally(d.id);
    const state: QueueState =
      d.status === "OPEN"
        ? "FLAGGED"
        : d.status === "REOPENED"
          ? "REOPENED"
          : tally?.outcome.kind === "decided"
            ? "DECIDED"
            : "UNDECIDED";
    items.push({
      id: d.id,
      title: d.title,
      batch: d.batch.title,
      closesAt: d.batch.closesAt,
      state,
      tally,
      openFlags: d._count.flags,
    });
  }
  items.sort(
    (a, b) =>
      QUEUE_ORDER[a.state] - QUEUE_ORDER[b.state] ||
      a.closesAt.getTime() - b.closesAt.getTime() ||
      a.title.localeCompare(b.title),
  );

  const [overrides, appeals, flaggedComments, batches] = await Promise.all([
    db.decision.findMany({
      where: { status: "PENDING_CONFIRMATION", datapoint: inBatch },
      select: {
        id: true,
        label: true,
        overrideReason: true,
        createdAt: true,
        moderatorId: true,
        datapoint: { select: { id: true, title: true } },
      },
      orderBy: { createdAt: "asc" },
    }),
    db.appeal.findMany({
      where: { status: "OPEN", datapoint: inBatch },
      select: {
        id: true,
        reason: true,
        createdAt: true,
        appellantId: true,
        datapoint: { select: { id: true, title: true } },
      },
      orderBy: { createdAt: "asc" },
    }),
    db.comment.findMany({
      where: { flags: { some: { resolvedAt: null } }, redactedAt: null, datapoint: inBatch },
      select: {
        id: true,
        body: true,
        hiddenAt: true,
        hiddenReason: true,
        datapoint: { select: { id: true, title: true } },
        author: { select: { name: true, pseudonym: true } },
        flags: { where: { resolvedAt: null }, select: { reason: true } },
      },
      orderBy: { createdAt: "asc" },
      take: 200,
    }),
    db.batch.findMany({
      orderBy: { slug: "asc" },
      select: { slug: true, title: true, id: true, closesAt: true, opensAt: true },
    }),
  ]);
  const people = await peopleAt([
    ...overrides.map((o) => ({ userId: o.moderatorId, at: o.createdAt })),
    ...appeals.map((a) => ({ userId: a.appellantId, at: a.createdAt })),
  ]);
  return {
    items,
    overrides: overrides.map(({ moderatorId, ...o }) => ({
      ...o,
      proposer: named(people, { userId: moderatorId, at: o.createdAt }),
    })),
    appeals: appeals.map(({ appellantId, ...a }) => ({
      ...a,
      appellant: named(people, { userId: appellantId, at: a.createdAt }),
    })),
    flaggedComments: flaggedComments.map((c) => ({
      ...c,
      author: current(c.author),
      reasons: c.flags.map((f) => f.reason),
    })),
    batches,
  };
}

/** Everything a moderator weighs on one datapoint, and whether they may decide it (from the primary). */
export async function decisionContext(datapointId: string, moderatorId: string) {
  return reads.onPrimary(() => context(datapointId, moderatorId));
}

async function context(datapointId: string, moderatorId: string) {
  const datapoint = await db.datapoint.findFirst({
    where: { id: datapointId, status: { not: "DRAFT" } },
    select: { id: true, batchId: true, status: true },
  });
  if (!datapoint) return null;
  const [tally, recused, pending, flags, timeline, history, bridging] = await Promise.all([
    currentTally(datapointId),
    db.$transaction((tx) => recusalIn(tx, datapointId, moderatorId)),
    db.decision.findFirst({ where: { datapointId, status: "PENDING_CONFIRMATION" } }),
    db.flag.findMany({
      where: { datapointId, resolvedAt: null },
      select: { id: true, reason: true, note: true, createdAt: true, reporterId: true },
    }),
    db.voteHistory.findMany({
      where: { datapointId },
      orderBy: { createdAt: "asc" },
      take: 500,
      select: {
        id: true,
        option: true,
        rationale: true,
        createdAt: true,
        auditSeq: true,
        auditQueueId: true,
        userId: true,
      },
    }),
    labelHistory(datapointId),
    batchBridging(datapoint.batchId),
  ]);
  // Each vote as its voter was named at its event (the current name while it is being logged).
  const votes = (await eventSeqs(timeline)).map(({ auditSeq: _seq, auditQueueId: _queueId, userId, ...v }) => ({
    ...v,
    point: { userId, seq: v.seq ?? NOT_YET_LOGGED },
  }));
  const pendingAt = pending ? { userId: pending.moderatorId, at: pending.createdAt } : null;
  const people = await peopleAt([
    ...votes.map((v) => v.point),
    ...flags.map((f) => ({ userId: f.reporterId, at: f.createdAt })),
    ...(pendingAt ? [pendingAt] : []),
  ]);
  return {
    status: datapoint.status,
    tally,
    recused,
    pending:
      pending && pendingAt ? { ...pending, proposer: named(people, pendingAt), proposerId: pending.moderatorId } : null,
    flags: flags.map(({ reporterId, ...f }) => ({
      ...f,
      reporter: named(people, { userId: reporterId, at: f.createdAt }),
    })),
    timeline: votes.map(({ point, ...v }) => ({ ...v, voter: named(people, point) })),
    history,
    oneSided: bridging.oneSided.find((f) => f.datapointId === datapointId) ?? null,
  };
}

/** Decisions (including superseded and declined ones) and appeals, oldest first: public. */
export async function labelHistory(datapointId: string) {
  const [decisions, appeals] = await reads.page((db) =>
    Promise.all([
      db.decision.findMany({
        where: { datapointId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          label: true,
          status: true,
          rationale: true,
          isOverride: true,
          overrideReason: true,
          createdAt: true,
          confirmedAt: true,
          moderatorId: true,
          confirmedById: true,
        },
      }),
      db.appeal.findMany({
        where: { datapointId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          status: true,
          reason: true,
          resolution: true,
          createdAt: true,
          resolvedAt: true,
          appellantId: true,
        },
      }),
    ]),
  );
  const people = await peopleAt([
    ...decisions.flatMap((d) => [
      { userId: d.moderatorId, at: d.createdAt },
      ...(d.confirmedById ? [{ userId: d.confirmedById, at: d.confirmedAt ?? d.createdAt }] : []),
    ]),
    ...appeals.map((a) => ({ userId: a.appellantId, at: a.createdAt })),
  ]);
  return {
    decisions: decisions.map(({ moderatorId, confirmedById, ...d }) => ({
      ...d,
      moderator: named(people, { userId: moderatorId, at: d.createdAt }),
      confirmedBy: confirmedById ? named(people, { userId: confirmedById, at: d.confirmedAt ?? d.createdAt }) : null,
    })),
    appeals: appeals.map(({ appellantId, ...a }) => ({
      ...a,
      appellant: named(people, { userId: appellantId, at: a.createdAt }),
    })),
  };
}
