// The account an import is attributed to when `npm run import` is given `--actor <email>`.
import { db } from "@/lib/db";
import type { RoleName } from "@/lib/users/schema";

/** A live (not deleted) account by its exact email, with its roles; null when there is none. */
export async function findImportActor(email: string): Promise<{ id: string; roles: RoleName[] } | null> {
  const user = await db.user.findFirst({
    where: { email: email.trim(), deletedAt: null },
    select: { id: true, roles: { select: { role: true } } },
  });
  return user ? { id: user.id, roles: ["CITIZEN", ...user.roles.map((r) => r.role)] } : null;
}
