import { appendEvent } from "@/lib/audit/append";
import type { Tx } from "@/lib/db-types";
import { newPseudonym } from "./pseudonym";
import { newUserSchema, type NewUser, type RoleName } from "./schema";

/** Create an account with a fresh pseudonym; audited as `user.created`. */
export async function createUserIn(tx: Tx, input: NewUser, actorId: string | null) {
  const data = newUserSchema.parse(input);
  // Collisions are rare (1.6 × 10⁷ names); a taken one is simply drawn again.
  let pseudonym = newPseudonym();
  for (let i = 0; i < 5 && (await tx.user.findUnique({ where: { pseudonym }, select: { id: true } })); i++) {
    pseudonym = newPseudonym();
  }
  const user = await tx.user.create({ data: { ...data, pseudonym } });
  await appendEvent(tx, {
    type: "user.created",
    actorId,
    userId: user.id,
    pseudonym,
    verificationTier: user.verificationTier,
  });
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
