// The user behind a session cookie, read the way next-auth 4 reads a database session
// (core/routes/session.ts: an expired session is deleted, a session in use has its expiry
// pushed back once a day), in one query instead of next-auth's setup (options, a CSRF token
// made and hashed) and two queries on every request.
import { db } from "@/lib/db";
import { CURRENT_USER_SELECT, toCurrentUser, type CurrentUser } from "@/lib/users/data";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./cookies";

/** The active (not deleted) user of the session with this token, or null. */
export async function sessionUser(sessionToken: string, now = new Date()): Promise<CurrentUser | null> {
  const session = await db.session.findUnique({
    where: { sessionToken },
    select: {
      expires: true,
      user: { select: { ...CURRENT_USER_SELECT, deletedAt: true } },
    },
  });
  if (!session) return null;
  if (session.expires <= now) {
    await db.session.deleteMany({ where: { sessionToken } });
    return null;
  }
  if (session.expires.getTime() - SESSION_MAX_AGE_SECONDS * 1000 + SESSION_UPDATE_AGE_SECONDS * 1000 <= now.getTime()) {
    await db.session.updateMany({ where: { sessionToken }, data: { expires: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) } });
  }
  const { deletedAt, ...user } = session.user;
  return deletedAt ? null : toCurrentUser(user);
}
