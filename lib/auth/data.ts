// The user behind a session cookie, read the way next-auth 4 reads a database session
// (core/routes/session.ts: an expired session is deleted, a session in use has its expiry
// pushed back once a day), in one query instead of next-auth's setup (options, a CSRF token
// made and hashed) and two queries on every request. Every signed-in request comes through
// here, so the read goes straight to the pg pool as a named (prepared) statement (unnamed
// behind a transaction-mode pooler: statementName in lib/db.ts): through
// Prisma's client it cost a large part of a vote request's time (BENCHMARKS.md §6).
import { db, pool, statementName } from "@/lib/db";
import { demoEnabled } from "@/lib/env";
import { BoundedMap } from "@/lib/runtime/bounded-map";
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
  const { rows } = await pool.query<SessionRow>({
    name: statementName("plenary_session_user"),
    text: SESSION_USER_SQL,
    values: [sessionToken],
  });
  const session = rows[0];
  owners.delete(sessionToken);
  if (!session) return null;
  const { renewBefore, renewTo } = sessionCheck(sessionToken, now);
  if (session.expires <= now) {
    await db.session.deleteMany({ where: { sessionToken } });
    return null;
  }
  if (session.expires <= renewBefore) {
    await db.session.updateMany({ where: { sessionToken }, data: { expires: renewTo } });
  }
  const { expires: _expires, deletedAt, roles, ...user } = session;
  if (deletedAt) return null;
  // A demo account (an ADMIN and a MODERATOR among them, anyone may sign in as one) is
  // nobody on a site not running as a demo, whenever its session was made: checked here on
  // every read, and before the owner is remembered, so the vote path (which acts on a
  // remembered owner) cannot use the session either. The session is left alone.
  if (user.isDemo && !demoEnabled()) return null;
  owners.set(sessionToken, user.id);
  // Every account is a citizen; other roles are granted.
  return { ...user, roles: ["CITIZEN", ...roles] };
}

/**
 * Whose each session token was when this process last read it (sessionUser), by token. A
 * session never changes hands, but it can end and its user can be deleted: a caller that
 * acts on a remembered owner has the statement that acts check the session too (SessionCheck).
 */
const owners = new BoundedMap<string, string>(50_000);

/** The user id this token's session belonged to when this process last read it, if it did. */
export function rememberedSessionOwner(sessionToken: string): string | undefined {
  return owners.get(sessionToken);
}

/**
 * What a statement needs to check a session as sessionUser reads it, in the same statement
 * as the change it guards (plenary_cast_vote): the token, and next-auth's renewal rule at
 * `now` (a session expiring on or before renewBefore is extended to renewTo).
 */
export type SessionCheck = { token: string; renewBefore: Date; renewTo: Date };

export function sessionCheck(sessionToken: string, now: Date): SessionCheck {
  const renewTo = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  return { token: sessionToken, renewBefore: new Date(renewTo.getTime() - SESSION_UPDATE_AGE_SECONDS * 1000), renewTo };
}
