// Input next-auth 4 cannot handle, refused before it sees it. next-auth answers a
// `callbackUrl` that is neither a path nor an absolute http(s) URL with a 500 (it reports
// its own configuration error), and copies text outside Latin-1 from the path or `error`
// into a redirect's Location header, which cannot hold it (a 500 again). Those are the
// client's mistakes, so they get a 400 and a sentence instead.

/** next-auth's own test: a path resolves against the site, anything else must be an absolute http(s) URL. */
export function isAcceptableCallbackUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? "http://callback.invalid" : undefined).protocol);
  } catch {
    return false;
  }
}

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Why a request to /api/auth/… must be refused, or null to pass it to next-auth. */
export function refusedAuthRequest(
  url: URL,
  form: URLSearchParams | null,
  callbackCookie: string | null,
): string | null {
  const callbacks = [url.searchParams.get("callbackUrl"), form?.get("callbackUrl") ?? null, callbackCookie];
  if (callbacks.some((value) => value !== null && !isAcceptableCallbackUrl(value))) {
    return "callbackUrl must be a path on this site or an absolute http(s) URL.";
  }
  const segments = url.pathname.split("/").slice(3).map(decoded);
  if ([...segments, url.searchParams.get("error") ?? ""].some((text) => BEYOND_LATIN1.test(text))) {
    return "This sign-in address holds characters it cannot contain; start again from the sign-in page.";
  }
  return null;
}

/** The callback-url cookie next-auth reads, decoded as it would be. */
function callbackCookieOf(request: Request): string | null {
  const value = /(?:^|;\s*)(?:__Secure-)?next-auth\.callback-url=([^;]*)/.exec(
    request.headers.get("cookie") ?? "",
  )?.[1];
  if (value === undefined) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Why next-auth must not see this request (a sentence for a 400), or null. Reads a copy of a form body. */
export async function nextAuthRefusal(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type") ?? "";
  const form =
    request.method === "POST" && type.startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(await request.clone().text())
      : null;
  return refusedAuthRequest(new URL(request.url), form, callbackCookieOf(request));
}
