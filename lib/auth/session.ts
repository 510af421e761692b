// The signed-in user of the current request, always re-read from the database (roles and
// deletion take effect at once, whatever the session cookie says).
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { cache } from "react";
import { getActiveUser, type CurrentUser } from "@/lib/users/data";
import { sessionCookie } from "./cookies";
import { authOptions } from "./options";

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  // A visitor without a session cookie is nobody: skip next-auth, which would otherwise make
  // and hash a CSRF token for every anonymous page view.
  if (!(await cookies()).has(sessionCookie().name)) return null;
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? getActiveUser(id) : null;
});
