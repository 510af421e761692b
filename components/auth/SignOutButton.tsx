// Signing out is a plain form POST to next-auth's sign-out endpoint, so pages ship none of
// next-auth's React client. next-auth accepts the POST only with its double-submit CSRF
// token: the value of the `next-auth.csrf-token` cookie (`token|hash`, the hash keyed by the
// auth secret) must match the form's `csrfToken`. The token is read here, on the server;
// when the browser has no valid cookie yet (demo sign-in sets none), the form asks
// next-auth for one as it is sent.
import { createHash } from "node:crypto";
import { cookies } from "next/headers";
import { sessionCookie } from "@/lib/auth/cookies";
import { authOptions } from "@/lib/auth/options";
import { SignOutForm } from "./SignOutForm";

export async function SignOutButton() {
  return <SignOutForm csrfToken={await csrfToken()} />;
}

/** The CSRF token of this browser's cookie when next-auth would accept it, else null. */
async function csrfToken(): Promise<string | null> {
  // next-auth names the cookie after NEXTAUTH_URL's scheme, as it does the session cookie.
  const name = `${sessionCookie().secure ? "__Host-" : ""}next-auth.csrf-token`;
  const value = (await cookies()).get(name)?.value;
  const secret = authOptions.secret;
  if (!value || !secret) return null;
  const [token, hash] = value.split("|");
  if (!token || !hash) return null;
  return createHash("sha256").update(`${token}${secret}`).digest("hex") === hash ? token : null;
}
