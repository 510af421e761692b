import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { SESSION_MAX_AGE_SECONDS } from "./cookies";

/**
 * A database session for a seeded demo account, the same kind next-auth creates after a
 * magic link. Only demo accounts qualify; the caller checks that demo sign-in is enabled.
 */
export async function createDemoSession(email: string): Promise<{ token: string; expires: Date } | null> {
  const user = await db.user.findFirst({ where: { email, isDemo: true, deletedAt: null }, select: { id: true } });
  if (!user) return null;
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.session.create({ data: { sessionToken: token, userId: user.id, expires } });
  return { token, expires };
}
