// People as they were named at a point in the record: the audit views, the story and the
// moderation pages name each actor by the display name they had then (user_names), always
// with the pseudonym, so a rename never rewrites how history reads. Never an email.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Person } from "./rules";

/** A user at a log position (the event's seq: names set by earlier events count) or at an instant (names set by then count). */
export type NamePoint = { userId: string; seq: bigint } | { userId: string; at: Date };

/** Looks up the people read for a set of points; undefined for an id that names no account. */
export type People = (point: NamePoint) => Person | undefined;

/** The log position of a record whose event is not sequenced yet: it reads under the current name. */
export const NOT_YET_LOGGED = 9_223_372_036_854_775_807n;

const keyOf = (p: NamePoint) => ("seq" in p ? `${p.userId}#${p.seq}` : `${p.userId}@${p.at.toISOString()}`);
const isUuid = (id: string) => z.uuid().safeParse(id).success;

type Row = { key: string; pseudonym: string; name: string | null };

/**
 * Each point's person: the name the latest user.created or user.renamed event before the
 * seq set (the event that renames reads under the name it replaces), or the latest by that
 * instant; the pseudonym when there is none or it was removed.
 */
export async function peopleAt(points: Iterable<NamePoint>): Promise<People> {
  const bySeq = new Map<string, { userId: string; seq: bigint }>();
  const byTime = new Map<string, { userId: string; at: Date }>();
  for (const p of points) {
    if (!isUuid(p.userId)) continue;
    if ("seq" in p) bySeq.set(keyOf(p), p);
    else byTime.set(keyOf(p), p);
  }
  const [seqRows, timeRows] = await Promise.all([
    bySeq.size
      ? db.$queryRaw<Row[]>`
          SELECT p.key, u.pseudonym, n.name
            FROM unnest(${[...bySeq.keys()]}::text[], ${[...bySeq.values()].map((p) => p.userId)}::uuid[],
                        ${[...bySeq.values()].map((p) => p.seq.toString())}::bigint[]) AS p(key, user_id, seq)
            JOIN users u ON u.id = p.user_id
            LEFT JOIN LATERAL (
              SELECT h.name FROM user_names h WHERE h.user_id = p.user_id AND h.seq < p.seq ORDER BY h.seq DESC LIMIT 1
            ) n ON TRUE`
      : [],
    byTime.size
      ? db.$queryRaw<Row[]>`
          SELECT p.key, u.pseudonym, n.name
            FROM unnest(${[...byTime.keys()]}::text[], ${[...byTime.values()].map((p) => p.userId)}::uuid[],
                        ${[...byTime.values()].map((p) => p.at.toISOString())}::timestamptz[]) AS p(key, user_id, at)
            JOIN users u ON u.id = p.user_id
            LEFT JOIN LATERAL (
              SELECT h.name FROM user_names h WHERE h.user_id = p.user_id AND h.at <= p.at ORDER BY h.at DESC, h.seq DESC LIMIT 1
            ) n ON TRUE`
      : [],
  ]);
  const found = new Map(
    [...seqRows, ...timeRows].map((r) => [r.key, { name: r.name ?? r.pseudonym, pseudonym: r.pseudonym }]),
  );
  return (point) => found.get(keyOf(point));
}
