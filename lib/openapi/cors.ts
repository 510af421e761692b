// Which paths are the public, read-only API that any web page may fetch, and the CORS answers
// proxy.ts gives them. Only GET and HEAD are opened: nothing here changes state, and sign-in
// (/api/auth) and server actions (POSTs to pages) must never be callable from another origin.
const PUBLIC_PREFIXES = ["/api/log/", "/api/exports/", "/api/research/", "/.well-known/"];

export function isPublicApi(pathname: string): boolean {
  return pathname === "/api/openapi.json" || PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

const CORS_METHODS = "GET, HEAD, OPTIONS";

/** The answer to a preflight: no credentials are involved (the origin is `*`), so the headers a page asks to send are allowed. */
export function preflightHeaders(requestedHeaders: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": CORS_METHODS,
    "Access-Control-Max-Age": "86400",
    "Cache-Control": "no-store",
  };
  if (requestedHeaders) headers["Access-Control-Allow-Headers"] = requestedHeaders.slice(0, 1_000);
  return headers;
}

/** A refusal made in the proxy never reaches a route's own CORS headers, so it carries them. */
export const REFUSAL_EXPOSED_HEADERS = "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
