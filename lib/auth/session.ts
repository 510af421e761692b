// The signed-in user of the current request, always re-read from the database (roles and
// deletion take effect at once, whatever the session cookie says).
import { cookies } from "next/headers";
import { cache } from "react";
import { databaseTrouble } from "@/lib/http/route";
import type { CurrentUser } from "@/lib/users/data";
import { sessionCookie } from "./cookies";
import { sessionUser } from "./data";

/** The session cookie's token of the current request, if it carries one. */
export async function sessionToken(): Promise<string | null> {
  return (await cookies()).get(sessionCookie().name)?.value || null;
}

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  // A visitor without a session cookie is nobody.
  const token = await sessionToken();
  if (!token) return null;
  try {
    return await sessionUser(token);
  } catch (error) {
    // As next-auth did: while the database is away the visitor looks signed out, so pages
    // that need no data still render; a route that needs the user tells the two apart
    // (app/api/votes/route.ts).
    if (databaseTrouble(error)) return null;
    throw error;
  }
});
