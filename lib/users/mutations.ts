import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/database/types";
import { eraseNamesIn, recordNameIn } from "./names/mutations";
import { displayNameForm, nameRefusal, nameSkeleton } from "./names/rules";
import { newPseudonym } from "./pseudonym";
import { newUserSchema, type NewUser, type RoleName } from "./schema";

/**
 * Create an account with a fresh pseudonym; audited as `user.created`. A name given here
 * (the demo seed's) meets the same rules as a rename: a refused one is a programming error.
 */
export async function createUserIn(tx: Tx, input: NewUser, actorId: string | null) {
  const data = newUserSchema.parse(input);
  const name = data.name === null ? null : displayNameForm(data.name);
  const refusal = name === null ? null : nameRefusal(name, { demo: data.isDemo });
  if (refusal) throw new Error(`The name “${name}” cannot be given to an account: ${refusal.message}`);
  // Collisions are rare (1.6 × 10⁷ names); a taken one is simply drawn again.
  let pseudonym = newPseudonym();
  for (let i = 0; i < 5 && (await tx.user.findUnique({ where: { pseudonym }, select: { id: true } })); i++) {
    pseudonym = newPseudonym();
  }
  // One instant for the row and its event: account age is a fact policies weigh.
  const createdAt = new Date();
  const user = await tx.user.create({
    data: { ...data, name, nameSkeleton: name === null ? null : nameSkeleton(name), pseudonym, createdAt },
  });
  const { seq } = await appendEvent(tx, {
    at: createdAt.toISOString(),
    type: "user.created",
    actorId,
    userId: user.id,
    pseudonym,
    verificationTier: user.verificationTier,
  });
  if (name !== null) await recordNameIn(tx, user.id, name, seq, createdAt);
  return user;
}

/** Grant a role; granting one the user already holds changes nothing and logs nothing. */
export async function grantRoleIn(tx: Tx, userId: string, role: RoleName, actorId: string | null) {
  if (role === "CITIZEN") return false; // every account is a citizen
  const inserted = await tx.$executeRaw`
    INSERT INTO user_roles (user_id, role, granted_by_id)
    VALUES (${userId}::uuid, ${role}::"Role", ${actorId}::uuid)
    ON CONFLICT DO NOTHING`;
  if (inserted === 0) return false;
  await appendEvent(tx, { type: "role.granted", actorId, userId, role });
  return true;
}

/**
 * The account created on a first sign-in (magic link or OAuth). The provider's name and
 * picture are not copied: the public identity is the pseudonym until the user picks a name.
 */
export async function createSignInUser(input: { email?: string | null; emailVerified?: Date | null }) {
  return db.$transaction(async (tx) => {
    const user = await createUserIn(tx, { email: input.email?.toLowerCase() ?? null, name: null }, null);
    if (input.emailVerified) {
      return tx.user.update({ where: { id: user.id }, data: { emailVerified: input.emailVerified } });
    }
    return user;
  });
}

export type UserResult = { ok: true } | { ok: false; reason: "NOT_FOUND" | "LAST_ADMIN"; message: string };

/** Revoke a role; the last admin cannot be revoked (someone must be able to grant roles). */
async function revokeRoleIn(tx: Tx, userId: string, role: RoleName, actorId: string | null): Promise<UserResult> {
  if (role === "ADMIN") {
    await lockAdmins(tx);
    const admins = await tx.userRole.count({ where: { role: "ADMIN", user: { deletedAt: null } } });
    const isAdmin = await tx.userRole.count({ where: { role: "ADMIN", userId } });
    if (isAdmin && admins <= 1)
      return { ok: false, reason: "LAST_ADMIN", message: "The last admin cannot lose the admin role." };
  }
  const removed = await tx.userRole.deleteMany({ where: { userId, role } });
  if (removed.count > 0) await appendEvent(tx, { type: "role.revoked", actorId, userId, role });
  return { ok: true };
}

/** Grant or revoke a role as an admin, in one audited transaction. */
export async function changeRole(userId: string, role: RoleName, grant: boolean, actorId: string): Promise<UserResult> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { id: true } });
    if (!user) return { ok: false, reason: "NOT_FOUND", message: "That account does not exist or was deleted." };
    if (grant) {
      await grantRoleIn(tx, userId, role, actorId);
      return { ok: true };
    }
    return revokeRoleIn(tx, userId, role, actorId);
  });
}

/**
 * Delete an account: personal data (email, name and its history, picture, sign-in links and
 * sessions, roles, declared strata) is erased, which frees the name for others; votes and
 * comments stay under the pseudonym, which stays reserved.
 */
export async function deleteAccount(userId: string): Promise<UserResult> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { email: true } });
    if (!user) return { ok: false, reason: "NOT_FOUND", message: "This account no longer exists." };
    const roles = (await tx.userRole.findMany({ where: { userId }, select: { role: true } })).map((r) => r.role);
    if (roles.includes("ADMIN")) await lockAdmins(tx);
    if (
      roles.includes("ADMIN") &&
      (await tx.userRole.count({ where: { role: "ADMIN", user: { deletedAt: null } } })) <= 1
    ) {
      return {
        ok: false,
        reason: "LAST_ADMIN",
        message: "Grant the admin role to someone else before deleting the last admin account.",
      };
    }
    await tx.userRole.deleteMany({ where: { userId } });
    await tx.account.deleteMany({ where: { userId } });
    await tx.session.deleteMany({ where: { userId } });
    if (user.email) await tx.verificationToken.deleteMany({ where: { identifier: user.email } });
    await eraseNamesIn(tx, userId);
    await tx.user.update({
      where: { id: userId },
      data: {
        email: null,
        name: null,
        nameSkeleton: null,
        image: null,
        emailVerified: null,
        strata: Prisma.DbNull,
        deletedAt: new Date(),
      },
    });
    await appendEvent(tx, { type: "user.deleted", actorId: userId, userId, revokedRoles: roles });
    return { ok: true };
  });
}

/** Serialises changes to the set of admins, so two admins cannot remove each other at once. */
async function lockAdmins(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plenary:admins'))`;
}

/** Set a user's verification tier (trust-tier policies weigh votes by it); audited. */
export async function setVerificationTier(userId: string, tier: number, actorId: string): Promise<UserResult> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({
      where: { id: userId, deletedAt: null },
      select: { verificationTier: true },
    });
    if (!user) return { ok: false, reason: "NOT_FOUND", message: "That account does not exist or was deleted." };
    if (user.verificationTier === tier) return { ok: true };
    await tx.user.update({ where: { id: userId }, data: { verificationTier: tier } });
    await appendEvent(tx, {
      type: "user.tier_changed",
      actorId,
      userId,
      verificationTier: tier,
      previousTier: user.verificationTier,
    });
    return { ok: true };
  });
}

/** Declare (or, with null, withdraw) coarse strata; the declaration is public in the log. */
export async function declareStrata(userId: string, strata: Record<string, string> | null): Promise<UserResult> {
  return db.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({
      where: { id: userId, deletedAt: null },
      data: { strata: strata ?? Prisma.DbNull },
    });
    if (updated.count === 0) return { ok: false, reason: "NOT_FOUND", message: "This account no longer exists." };
    await appendEvent(tx, { type: "user.strata_declared", actorId: userId, userId, strata });
    return { ok: true };
  });
}
