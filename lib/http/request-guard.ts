// The checks a request passes before Next reads its body, shared by proxy.ts and the
// production server (scripts/next-server.mjs). Next buffers a body for the proxy and hands
// the buffered copy on, so a large body would be held in memory before the proxy could
// refuse it: the production server therefore asks `refuseByHeaders` about every large or
// undeclared body first, and refuses it unread. The proxy asks again (and is the only guard
// under `next dev`), then checks that React can decode a server action's arguments.
import type { NextRequest } from "next/server";
import { sessionCookie } from "@/lib/auth/cookies";
import { sessionUser } from "@/lib/auth/data";
import { argumentsRefusal, formPostRefusal, type ReplyEntry } from "./action-reply";
import { problem } from "./problem";
import { isActionCall, judgeActionCall } from "./server-actions";

type HeadersOnly = Pick<NextRequest, "method" | "headers" | "nextUrl" | "cookies">;

/** A refusal decided from the request line, the headers and the session alone (no body read). */
export async function refuseByHeaders(request: HeadersOnly): Promise<Response | null> {
  const token = request.cookies.get(sessionCookie().name)?.value || null;
  const verdict = judgeActionCall({
    method: request.method,
    pathname: request.nextUrl.pathname,
    nextAction: request.headers.get("next-action"),
    contentType: request.headers.get("content-type"),
    contentLength: request.headers.get("content-length"),
    transferEncoding: request.headers.get("transfer-encoding"),
    origin: request.headers.get("origin"),
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host"),
    hasSessionCookie: token !== null,
  });
  if (verdict.kind === "refuse") return problem(verdict.status, verdict.detail);
  // Only the import upload (an admin's) is large: a made-up cookie must not buy a 20 MB parse.
  if (verdict.kind === "large" && !(await sessionUser(token!).catch(() => null))?.roles.includes("ADMIN")) {
    return problem(413, "Only an administrator's import upload may be this large.");
  }
  return null;
}

/**
 * A server-action call whose arguments React could not decode (Next would answer 500):
 * refused with a 400. Reads a copy of the body; the action gets the original.
 */
export async function refuseByBody(request: NextRequest): Promise<Response | null> {
  const { method, nextUrl } = request;
  const nextAction = request.headers.get("next-action");
  const contentType = request.headers.get("content-type") ?? "";
  if (!isActionCall({ method, pathname: nextUrl.pathname, nextAction, contentType })) return null;
  const multipart = /^\s*multipart\/form-data\s*;/i.test(contentType);
  // Next answers a urlencoded fetch call with 404 and renders the page for a non-multipart form post.
  if (nextAction === null ? !multipart : /^\s*application\/x-www-form-urlencoded/i.test(contentType)) return null;
  let entries: ReplyEntry[];
  try {
    entries = multipart ? [...(await request.clone().formData()).entries()] : [["0", await request.clone().text()]];
  } catch {
    return problem(400, multipart ? "The body is not a readable multipart form." : "The body could not be read.");
  }
  let refusal: string | null;
  try {
    refusal = nextAction === null ? formPostRefusal(entries) : argumentsRefusal(entries);
  } catch {
    refusal = "The server action's arguments could not be read.";
  }
  return refusal ? problem(400, refusal) : null;
}

/** Where the production server finds `refuseUnread` (this process's instrumentation puts it there). */
const UNREAD_BODY_GUARD = Symbol.for("plenary.refuseUnreadBody");

type UnreadRefusal = { status: number; headers: Record<string, string>; body: string };

/** `refuseByHeaders` for a Node request the production server has not read yet. */
async function refuseUnread(request: {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}): Promise<UnreadRefusal | null> {
  const { NextRequest } = await import("next/server");
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  let url: URL;
  try {
    url = new URL(request.url, "http://plenary.invalid");
  } catch {
    return { status: 400, headers: { "content-type": "text/plain" }, body: "The request's path is not a URL path." };
  }
  const refusal = await refuseByHeaders(new NextRequest(url, { method: request.method, headers }));
  if (!refusal) return null;
  return { status: refusal.status, headers: Object.fromEntries(refusal.headers), body: await refusal.text() };
}

export function registerUnreadBodyGuard(): void {
  (globalThis as Record<symbol, unknown>)[UNREAD_BODY_GUARD] = refuseUnread;
}
