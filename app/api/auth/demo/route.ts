// Demo sign-in (PLENARY_DEMO=1 only): a form POST from /signin naming a seeded demo account.
import { NextResponse, type NextRequest } from "next/server";
import { safeCallbackPath, sessionCookie } from "@/lib/auth/cookies";
import { createDemoSession } from "@/lib/auth/mutations";
import { demoEnabled, env } from "@/lib/env";
import { problem } from "@/lib/http/problem";
import { routeHandler } from "@/lib/http/route";

export const POST = routeHandler(async (request: NextRequest) => {
  if (!demoEnabled()) return problem(404, "Demo sign-in is not enabled on this site.");
  const origin = request.headers.get("origin");
  if (origin && (!URL.canParse(origin) || new URL(origin).host !== request.headers.get("host"))) {
    return problem(403, "Demo sign-in must come from this site's own sign-in page.");
  }
  const form = await request.formData().catch(() => null);
  const email = form?.get("email");
  // PostgreSQL text cannot hold NUL, so such an address is no account either.
  if (typeof email !== "string" || email.length > 320 || email.includes("\u0000")) return problem(400, "Choose a demo account to sign in as.");
  const session = await createDemoSession(email);
  if (!session) return problem(400, "That is not a demo account.");

  const base = env().NEXTAUTH_URL ?? request.url;
  const response = NextResponse.redirect(new URL(safeCallbackPath(form?.get("callbackUrl")), base), 303);
  const cookie = sessionCookie();
  response.cookies.set(cookie.name, session.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookie.secure,
    expires: session.expires,
  });
  return response;
});
