// Shared pieces of the generated invalid inputs (fast-check): what a request is, what its
// answer must be, and the junk that goes into queries, headers and form fields.
import fc from "fast-check";

/**
 * What an answer must be: a 4xx that reveals nothing of the server (bodies React cannot decode
 * included); a server action's FormState; or anything but a 5xx, for next-auth's own endpoints
 * (its flows answer bad input with redirects by design, and lib/auth/guard.ts refuses what it
 * would answer with a 500) and for inputs that may or may not decode.
 */
type Expect = "4xx" | "form-state" | "next-auth" | "no-5xx";

export type FuzzRequest = {
  /** The route or action this input is for (coverage is counted by it). */
  target: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
  expect: Expect;
};

export type World = {
  datapoints: { id: string; options: string[] }[];
  batchSlug: string;
  demoEmails: string[];
  cookies: { citizen: string; moderator: string; admin: string };
};

const NASTY = [
  "",
  " ",
  "0",
  "-1",
  "01",
  "1.5",
  "1e9",
  "NaN",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "%",
  "%ff",
  "%00",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\u0000",
  "\u202e",
  "𝕏𝕏",
  "9".repeat(17),
  "9".repeat(16),
  "a".repeat(3_000),
];

/** Text of every kind: printable Unicode, arbitrary code points, numbers, UUIDs and known troublemakers. */
export const junk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.constantFrom(...NASTY),
  fc.uuid(),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Printable ASCII only: what a header value may carry. */
export const asciiJunk = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 60 }),
  fc.constantFrom("", "x", "*/*", "bytes=0-", "bytes=junk", "gzip, br", "1.2.3.4", "::1, 10.0.0.1"),
);

const PLAUSIBLE = [
  "accept",
  "override",
  "confirm",
  "decline",
  "reject",
  "grant",
  "revoke",
  "MODERATOR",
  "RESEARCHER",
  "ADMIN",
  "CITIZEN",
  "1",
  "2",
  "3",
  "spam",
  "harassment",
  "other",
  "europe",
  "18-34",
  "A",
  "B",
  "TIE",
  "4",
  "over_refusal",
  "helpfulness-nov-2026",
];

/** A value a form field might hold: junk, or something close to what the field expects. */
export const fieldValue = (world: World) =>
  fc.oneof(
    { weight: 3, arbitrary: junk },
    fc.constantFrom(...PLAUSIBLE),
    fc.uuid(),
    fc.constantFrom(...world.datapoints.map((d) => d.id)),
  );

/** Headers a client might send; cookies are junk, absent, or a real session. */
export function headers(world: World) {
  return fc.record(
    {
      accept: asciiJunk,
      cookie: fc.oneof(
        fc.constant(world.cookies.citizen),
        fc.constant(world.cookies.admin),
        asciiJunk.map((v) => `next-auth.session-token=${v}`),
      ),
      "x-forwarded-for": asciiJunk,
      range: asciiJunk,
      "if-none-match": asciiJunk,
      "accept-encoding": asciiJunk,
      "user-agent": asciiJunk,
    },
    { requiredKeys: [] },
  );
}

/** A query string with repeated keys allowed, from known names, unknown ones and junk values. */
export function queryEntries(names: string[], values: fc.Arbitrary<string>) {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(names.length ? names : ["x"])) },
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  );
  return fc.array(fc.tuple(key, values), { maxLength: 6 });
}

export const toQuery = (entries: [string, string][]) => {
  const search = new URLSearchParams(entries).toString();
  return search ? `?${search}` : "";
};
