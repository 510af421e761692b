// Route-handler answers: RFC 9457 application/problem+json for every refusal (a sentence in
// `detail`, never a stack), and query parsing with zod that turns bad input into a 400.
import type { z } from "zod";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

export function problem(
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: HeadersInit = {},
): Response {
  return Response.json(
    { type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra },
    { status, headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers } },
  );
}

/** Parse URL query parameters (single values) with a zod object schema. */
export function parseSearchParams<S extends z.ZodType>(
  schema: S,
  params: URLSearchParams,
): { ok: true; value: z.output<S> } | { ok: false; response: Response } {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    // A parameter given twice is refused rather than guessed at.
    if (key in raw) return { ok: false, response: problem(400, `${key} was given more than once; give it once.`) };
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const name = issue.path.join(".");
  // The schemas' own sentences name their parameter; a generic one gets the name in front.
  const where = name && !issue.message.includes(name) ? `Parameter "${name}": ` : "";
  return { ok: false, response: problem(400, `${where}${issue.message}`) };
}
