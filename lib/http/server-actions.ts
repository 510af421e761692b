// What is checked of a request before Next reads its body (lib/http/request-guard.ts applies
// it, in the production server and in proxy.ts). Next parses an action's whole body (up to
// serverActions.bodySizeLimit) before the action runs its own sign-in check, so an anonymous
// client could make the server hold 20 MB per request; and Next answers a malformed or
// cross-origin call with a 500. Every action of this site needs a signed-in user, and only
// the import upload (an admin's) carries a large body, so: a call with a malformed id, from
// another origin or without a declared length is refused here, a large one without a
// session cookie too, and a large one with a cookie waits for the session to be checked.
// No other request of this site carries more than a few kilobytes: over 1 MB is refused.
// Pure: the caller passes the request's parts in.

/** Next's serverActions.bodySizeLimit (next.config.js): the import's 20 MB file plus the form. */
export const ACTION_BODY_LIMIT_BYTES = 21 * 1024 * 1024;

/** Above this, a call is the import upload or an attack: the proxy checks the session first. */
const LARGE_ACTION_BYTES = 1024 * 1024;

/** Next's action ids: the hex digest of the action's reference (42 digits in this build). */
const ACTION_ID = /^[0-9a-f]{40,64}$/i;

const FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded|text\/plain)\s*(;|$)/i;

export type ActionCall = {
  method: string;
  pathname: string;
  nextAction: string | null;
  contentType: string | null;
  contentLength: string | null;
  origin: string | null;
  host: string | null;
  hasSessionCookie: boolean;
  /** Set when the body's length is not declared up front (chunked). */
  transferEncoding?: string | null;
};

export type ActionVerdict =
  | { kind: "pass" }
  | { kind: "refuse"; status: 400 | 401 | 403 | 411 | 413; detail: string }
  /** Allowed only if the session holds and its user may send large bodies (an admin). */
  | { kind: "large" };

/**
 * Whether a request is a server-action call: a POST to a page with the Next-Action header
 * (React's fetch), or a form post a browser makes without JavaScript (the action's id is in
 * the body then). The API's routes are not actions.
 */
export function isActionCall(call: Pick<ActionCall, "method" | "pathname" | "nextAction" | "contentType">): boolean {
  if (call.method !== "POST" || call.pathname === "/api" || call.pathname.startsWith("/api/")) return false;
  return call.nextAction !== null || (call.contentType !== null && FORM_TYPES.test(call.contentType));
}

export function judgeActionCall(call: ActionCall): ActionVerdict {
  if (!isActionCall(call)) return judgeOtherBody(call);
  if (call.nextAction !== null && !ACTION_ID.test(call.nextAction))
    return refuse(400, "The Next-Action header is not a server action's id.");
  // As Next checks it (action-handler: Origin against X-Forwarded-Host or Host), but answered
  // as what it is: a forbidden cross-site call, not a server error.
  if (call.origin !== null && call.origin !== "null") {
    let originHost: string | null = null;
    try {
      originHost = new URL(call.origin).host;
    } catch {
      return refuse(400, "The Origin header is not a URL.");
    }
    if (!call.host || originHost.toLowerCase() !== call.host.toLowerCase())
      return refuse(403, "Server actions are accepted only from this site's own pages.");
  } else if (call.origin === "null") {
    return refuse(403, "Server actions are accepted only from this site's own pages.");
  }
  if (call.contentLength === null || !/^\d{1,12}$/.test(call.contentLength))
    return refuse(411, "A server action's body must declare its length.");
  const length = Number(call.contentLength);
  if (length <= LARGE_ACTION_BYTES) return { kind: "pass" };
  // A small anonymous call is let through so the action answers it as its form expects
  // ("Please sign in first."); a large one is refused unread.
  if (!call.hasSessionCookie) return refuse(401, "Please sign in first.");
  if (length > ACTION_BODY_LIMIT_BYTES)
    return refuse(413, `The body is larger than ${ACTION_BODY_LIMIT_BYTES / 1024 / 1024} MB.`);
  return { kind: "large" };
}

/**
 * Any other request's body: no route of this site takes more than a few kilobytes, and Next
 * buffers what the proxy may read, so a large or undeclared body is refused before that.
 */
function judgeOtherBody(call: ActionCall): ActionVerdict {
  if (call.contentLength === null) {
    return call.transferEncoding
      ? refuse(411, "A request body must declare its length (Content-Length).")
      : { kind: "pass" };
  }
  if (/^\d{1,12}$/.test(call.contentLength) && Number(call.contentLength) > LARGE_ACTION_BYTES) {
    return refuse(413, `The body is larger than ${LARGE_ACTION_BYTES / 1024 / 1024} MB.`);
  }
  return { kind: "pass" };
}

const refuse = (status: 400 | 401 | 403 | 411 | 413, detail: string): ActionVerdict => ({
  kind: "refuse",
  status,
  detail,
});
