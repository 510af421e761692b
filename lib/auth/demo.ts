// POST /api/auth/demo (PLENARY_DEMO=1 only): a form from /signin naming a seeded demo account
// signs in as it, with a database session like any other.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { demoEnabled, env } from "@/lib/env";
import { problem } from "@/lib/http/problem";
import { safeCallbackPath, sessionCookie } from "./cookies";
import { createDemoSession } from "./mutations";

const CHOOSE = "Choose a demo account to sign in as.";

export const demoSignInForm = z.object({
  // PostgreSQL text cannot hold NUL, so such an address is no account either.
  email: z
    .string(CHOOSE)
    .max(320, CHOOSE)
    .refine((email) => !email.includes("\u0000"), CHOOSE),
  callbackUrl: z.unknown(),
});

export async function demoSignInResponse(
  form: z.output<typeof demoSignInForm>,
  request: NextRequest,
): Promise<Response> {
  if (!demoEnabled()) return problem(404, "Demo sign-in is not enabled on this site.");
  const session = await createDemoSession(form.email);
  if (!session) return problem(400, "That is not a demo account.");
  const base = env().NEXTAUTH_URL ?? request.url;
  const response = NextResponse.redirect(new URL(safeCallbackPath(form.callbackUrl), base), 303);
  const cookie = sessionCookie();
  response.cookies.set(cookie.name, session.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookie.secure,
    expires: session.expires,
  });
  return response;
}
