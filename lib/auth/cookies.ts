// next-auth 4's session cookie name: with an https NEXTAUTH_URL it carries the __Secure- prefix.
import { setting } from "@/lib/env";

/** How long a sign-in lasts (next-auth's session maxAge): 30 days. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** How often a session in use has its expiry pushed back (next-auth's session updateAge). */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 3600;

export function sessionCookie(): { name: string; secure: boolean } {
  const secure = (setting("NEXTAUTH_URL") ?? "").startsWith("https://");
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure };
}

/** Only same-site relative paths are followed after sign-in (no open redirects). */
export function safeCallbackPath(value: unknown): string {
  return typeof value === "string" && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : "/";
}
