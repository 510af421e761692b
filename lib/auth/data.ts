// The user behind a session cookie, read the way next-auth 4 reads a database session
// (core/routes/session.ts: an expired session is deleted, a session in use has its expiry
// pushed back once a day), in one query instead of next-auth's setup (options, a CSRF token
// made and hashed) and two queries on every request. Every signed-in request comes through
// here, so the read goes straight to the pg pool as a named (prepared) statement: through
// Prisma's client it cost a quarter of a vote request's time (BENCHMARKS.md §6).
import { db, pool } from "@/lib/db";
import type { RoleName } from "@/lib/users/schema";
import type { CurrentUser } from "@/lib/users/data";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./cookies";

type SessionRow = Omit<CurrentUser, "roles"> & { expires: Date; deletedAt: Date | null; roles: RoleName[] };

const SESSION_USER_SQL = `
  SELECT s.expires, u.id, u.pseudonym, u.name, u.email, u.is_demo AS "isDemo", u.verification_tier AS "verificationTier",
         u.strata, u.deleted_at AS "deletedAt", ARRAY(SELECT r.role::text FROM user_roles r WHERE r.user_id = u.id) AS roles
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.session_token = $1`;

/** The active (not deleted) user of the session with this token, or null. */
export async function sessionUser(sessionToken: string, now = new Date()): Promise<CurrentUser | null> {
  const { rows } = await pool.query<SessionRow>({ name: "plenary_session_user", text: SESSION_USER_SQL, values: [sessionToken] });
  const session = rows[0];
  if (!session) return null;
  if (session.expires <= now) {
    await db.session.deleteMany({ where: { sessionToken } });
    return null;
  }
  if (session.expires.getTime() - SESSION_MAX_AGE_SECONDS * 1000 + SESSION_UPDATE_AGE_SECONDS * 1000 <= now.getTime()) {
    await db.session.updateMany({ where: { sessionToken }, data: { expires: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) } });
  }
  const { expires: _expires, deletedAt, roles, ...user } = session;
  // Every account is a citizen; other roles are granted.
  return deletedAt ? null : { ...user, roles: ["CITIZEN", ...roles] };
}
