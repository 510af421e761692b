import NextAuth from "next-auth";
import { refusedAuthRequest } from "@/lib/auth/guard";
import { authOptions } from "@/lib/auth/options";
import { problem } from "@/lib/http/problem";

const handler = NextAuth(authOptions);

/** next-auth's handler, behind a check for input it would answer with a 500 (lib/auth/guard.ts). */
async function guarded(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  const form = request.method === "POST" && type.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(await request.clone().text()) : null;
  const cookies = request.headers.get("cookie") ?? "";
  const callbackCookie = /(?:^|;\s*)(?:__Secure-)?next-auth\.callback-url=([^;]*)/.exec(cookies)?.[1];
  let cookieValue: string | null = null;
  if (callbackCookie !== undefined) {
    try {
      cookieValue = decodeURIComponent(callbackCookie);
    } catch {
      cookieValue = callbackCookie;
    }
  }
  const refusal = refusedAuthRequest(new URL(request.url), form, cookieValue);
  if (refusal) return problem(400, refusal);
  return handler(request, context);
}

export { guarded as GET, guarded as POST };
