// Writing display names. A name is written with its skeleton, which a unique index keeps to
// one live account (so of two concurrent renames to look-alike names one is refused), and
// with a history row keyed by the seq of the event that set it, all in that event's
// transaction.
import { appendEvent } from "@/lib/audit/append";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/database/errors";
import type { Tx } from "@/lib/database/types";
import { displayNameForm, NAME_TAKEN_MESSAGE, nameRefusal, nameSkeleton, type NameRefusal } from "./rules";

export type NameResult =
  { ok: true } | { ok: false; reason: NameRefusal["reason"] | "NAME_TAKEN" | "NOT_FOUND"; message: string };

const TAKEN = { ok: false, reason: "NAME_TAKEN", message: NAME_TAKEN_MESSAGE } as const;

/** Keep the name an event at `seq` gave the user, so views name them so from then on. */
export async function recordNameIn(tx: Tx, userId: string, name: string | null, seq: bigint, at: Date): Promise<void> {
  await tx.userName.create({ data: { userId, seq, at, name } });
}

/** A deleted account's names are personal data: gone from the history, freed for others. */
export async function eraseNamesIn(tx: Tx, userId: string): Promise<void> {
  await tx.userName.deleteMany({ where: { userId } });
}

/** Set or clear the public display name (null shows the pseudonym); refused when it may not be anyone's or is taken. */
export async function setDisplayName(userId: string, requested: string | null): Promise<NameResult> {
  const name = requested === null ? null : displayNameForm(requested);
  if (name !== null) {
    const refusal = nameRefusal(name);
    if (refusal) return { ok: false, ...refusal };
  }
  try {
    return await db.$transaction(async (tx): Promise<NameResult> => {
      const at = new Date();
      // The unique index on the skeleton decides between concurrent claims: the second waits
      // for the first to commit, then fails.
      const updated = await tx.user.updateMany({
        where: { id: userId, deletedAt: null },
        data: { name, nameSkeleton: name === null ? null : nameSkeleton(name) },
      });
      if (updated.count === 0) return { ok: false, reason: "NOT_FOUND", message: "This account no longer exists." };
      const { seq } = await appendEvent(tx, {
        at: at.toISOString(),
        type: "user.renamed",
        actorId: userId,
        userId,
        nameHash: name ? sha256Hex(name) : null,
      });
      await recordNameIn(tx, userId, name, seq, at);
      return { ok: true };
    });
  } catch (error) {
    if (isUniqueViolation(error, "name_skeleton")) return TAKEN;
    throw error;
  }
}

type StoredName = { id: string; name: string; is_demo: boolean };

/**
 * Checks the names written before skeletons existed (or after a change of the rules, whose
 * migration sets name_skeleton to NULL): run at start-up, before the site serves. In the order
 * the names were claimed (their history's seq), each keeps its name when the rules allow it
 * and no earlier one has its skeleton; any other is removed, so the account shows its
 * pseudonym, by a `user.renamed` event of the system. Idempotent, and serialised between
 * instances starting at once.
 */
export async function checkStoredNames(): Promise<{ checked: number; removed: number }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plenary:names'))`;
      const unchecked = await tx.$queryRaw<StoredName[]>`
        SELECT u.id::text AS id, u.name, u.is_demo
          FROM users u
         WHERE u.name IS NOT NULL AND u.name_skeleton IS NULL AND u.deleted_at IS NULL
         ORDER BY (SELECT max(h.seq) FROM user_names h WHERE h.user_id = u.id) NULLS LAST, u.created_at, u.id`;
      if (unchecked.length === 0) return { checked: 0, removed: 0 };
      const taken = new Set(
        (await tx.user.findMany({ where: { nameSkeleton: { not: null } }, select: { nameSkeleton: true } })).map(
          (u) => u.nameSkeleton,
        ),
      );
      let removed = 0;
      for (const user of unchecked) {
        const skeleton = nameSkeleton(user.name);
        if (!nameRefusal(user.name, { demo: user.is_demo }) && !taken.has(skeleton)) {
          taken.add(skeleton);
          await tx.user.update({ where: { id: user.id }, data: { nameSkeleton: skeleton } });
          continue;
        }
        const at = new Date();
        await tx.user.update({ where: { id: user.id }, data: { name: null } });
        const { seq } = await appendEvent(tx, {
          at: at.toISOString(),
          type: "user.renamed",
          actorId: null,
          userId: user.id,
          nameHash: null,
        });
        await recordNameIn(tx, user.id, null, seq, at);
        removed++;
      }
      return { checked: unchecked.length, removed };
    },
    { timeout: 600_000 },
  );
}
