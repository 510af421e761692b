import { db } from "@/lib/db";
import type { RoleName } from "./schema";

export type CurrentUser = {
  id: string;
  pseudonym: string;
  name: string | null;
  email: string | null;
  isDemo: boolean;
  verificationTier: number;
  strata: Record<string, string> | null;
  roles: RoleName[];
};

/** What a CurrentUser is read with (Prisma select). */
export const CURRENT_USER_SELECT = {
  id: true,
  pseudonym: true,
  name: true,
  email: true,
  isDemo: true,
  verificationTier: true,
  strata: true,
  roles: { select: { role: true } },
} as const;

type CurrentUserRow = Omit<CurrentUser, "strata" | "roles"> & { strata: unknown; roles: { role: RoleName }[] };

/** A row read with CURRENT_USER_SELECT as a CurrentUser (every account is a citizen). */
export function toCurrentUser({ strata, roles, ...user }: CurrentUserRow): CurrentUser {
  return { ...user, strata: strata as Record<string, string> | null, roles: ["CITIZEN", ...roles.map((r) => r.role)] };
}

/** A live (not deleted) account with its roles, read fresh from the database. */
export async function getActiveUser(id: string): Promise<CurrentUser | null> {
  const user = await db.user.findFirst({ where: { id, deletedAt: null }, select: CURRENT_USER_SELECT });
  return user && toCurrentUser(user);
}

export async function findDemoUser(email: string) {
  return db.user.findFirst({ where: { email, isDemo: true, deletedAt: null }, select: { id: true } });
}

export async function listDemoAccounts() {
  return db.user.findMany({
    where: { isDemo: true, deletedAt: null },
    orderBy: { email: "asc" },
    select: { email: true, name: true, pseudonym: true, roles: { select: { role: true } } },
  });
}

/** Accounts for the admin's role page: newest first, optionally matching pseudonym, name or email. */
export async function listUsersForAdmin(query: string, take = 50) {
  const q = query.trim();
  return db.user.findMany({
    where: {
      deletedAt: null,
      ...(q
        ? { OR: [{ pseudonym: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, pseudonym: true, name: true, email: true, isDemo: true, verificationTier: true, roles: { select: { role: true } } },
  });
}
