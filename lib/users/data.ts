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
        ? {
            OR: [
              { pseudonym: { contains: q, mode: "insensitive" } },
              { name: { contains: q, mode: "insensitive" } },
              { email: { contains: q, mode: "insensitive" } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      pseudonym: true,
      name: true,
      email: true,
      isDemo: true,
      verificationTier: true,
      roles: { select: { role: true } },
    },
  });
}
