// The signed-in user of the current request, always re-read from the database (roles and
// deletion take effect at once, whatever the session cookie says).
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getActiveUser, type CurrentUser } from "@/lib/users/data";
import { authOptions } from "./options";

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? getActiveUser(id) : null;
});
