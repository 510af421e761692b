// Generated invalid inputs for every route handler, each paired with the answer it must get.
// Whether a query is invalid is decided by the route's own parser, so the generators can roam
// freely and still know what to expect.
import fc from "fast-check";
import { checkpointQuery, consistencyQuery, entriesQuery, inclusionQuery } from "@/lib/checkpoints/schema";
import {
  auditQuery,
  checkpointsQuery,
  datasetQuery,
  decisionsQuery,
  manifestQuery,
  policiesQuery,
} from "@/lib/exports/schema";
import { parseSearchParams } from "@/lib/http/problem";
import { chartFileParams } from "@/lib/research/schema";
import { voteInputSchema } from "@/lib/votes/schema";
import type { z } from "zod";
import { asciiJunk, headers, junk, queryEntries, toQuery, type FuzzRequest, type World } from "./fuzz-values";

type Parser = (params: URLSearchParams) => boolean;
/** A parser that throws would make the route answer 500: count that input as refused, so the test expects a 4xx and catches it. */
const accepting =
  (parse: (params: URLSearchParams) => boolean): Parser =>
  (params) => {
    try {
      return parse(params);
    } catch {
      return false;
    }
  };
/** The route frame parses every query with parseSearchParams (lib/http/route.ts). */
const queryParser = (schema: z.ZodType) => accepting((params) => parseSearchParams(schema, params).ok);

const COUNT = ["1", "2", "5", "40", "1000"];
const FILTER_VALUES = [
  "helpfulness-nov-2026",
  "no-such-batch",
  "FINALIZED",
  "any",
  "open",
  "0.7",
  "1",
  "2026-11-27",
  "2026-11-27T09:00:00Z",
  "FINAL",
  ...COUNT,
];

/** GET routes that parse a query: the names they know and their own parser. */
const QUERY_ROUTES: Record<string, { names: string[]; accepts: Parser; values: string[] }> = {
  "/api/log/checkpoint": { names: ["treeSize"], accepts: queryParser(checkpointQuery), values: COUNT },
  "/api/log/proof/inclusion": { names: ["seq", "treeSize"], accepts: queryParser(inclusionQuery), values: COUNT },
  "/api/log/proof/consistency": { names: ["first", "second"], accepts: queryParser(consistencyQuery), values: COUNT },
  "/api/log/entries": { names: ["from", "to"], accepts: queryParser(entriesQuery), values: COUNT },
  "/api/exports/audit.jsonl": { names: ["fromSeq", "toSeq"], accepts: queryParser(auditQuery), values: COUNT },
  "/api/exports/checkpoints.jsonl": {
    names: ["fromTreeSize", "toTreeSize"],
    accepts: queryParser(checkpointsQuery),
    values: COUNT,
  },
  ...Object.fromEntries(
    ["dataset.csv", "dataset.jsonl", "dataset.parquet", "dataset.preference.jsonl", "votes.jsonl"].map((file) => [
      `/api/exports/${file}`,
      { names: Object.keys(datasetQuery.shape), accepts: queryParser(datasetQuery), values: FILTER_VALUES },
    ]),
  ),
  "/api/exports/decisions.jsonl": {
    names: Object.keys(decisionsQuery.shape),
    accepts: queryParser(decisionsQuery),
    values: FILTER_VALUES,
  },
  "/api/exports/policies.json": {
    names: Object.keys(policiesQuery.shape),
    accepts: queryParser(policiesQuery),
    values: FILTER_VALUES,
  },
  "/api/exports/manifest": {
    names: Object.keys(manifestQuery.shape),
    accepts: queryParser(manifestQuery),
    values: FILTER_VALUES,
  },
};

/** Queries the route's parser refuses (400), plus inputs past the parser that are still wrong (a made-up cursor, a cut past the log's end). */
function invalidQueries(world: World, route: string) {
  const { names, accepts, values } = QUERY_ROUTES[route]!;
  const value = fc.oneof({ weight: 3, arbitrary: junk }, fc.constantFrom(...values));
  const refused = fc
    .tuple(queryEntries(names, value), headers(world))
    .filter(([entries]) => !accepts(new URLSearchParams(entries)))
    .map(([entries, h]) => ({
      target: route,
      method: "GET",
      path: route + toQuery(entries),
      headers: h,
      expect: "4xx" as const,
    }));
  const wrongButParsed: fc.Arbitrary<FuzzRequest>[] = [];
  if (names.includes("cursor")) {
    wrongButParsed.push(
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 100 }).map((cursor) => ({
        target: route,
        method: "GET",
        path: `${route}?cursor=${encodeURIComponent(cursor)}`,
        headers: {},
        expect: "4xx" as const,
      })),
    );
  }
  if (names.includes("asOfSeq")) {
    wrongButParsed.push(
      fc.integer({ min: 1_000_000, max: 2 ** 50 }).map((seq) => ({
        target: route,
        method: "GET",
        path: `${route}?asOfSeq=${seq}`,
        headers: {},
        expect: "4xx" as const,
      })),
    );
  }
  if (names.includes("batch")) {
    wrongButParsed.push(
      fc
        .stringMatching(/^[a-z0-9]{3,12}(-[a-z0-9]{1,8})?$/)
        .filter((slug) => slug !== world.batchSlug)
        .map((slug) => ({
          target: route,
          method: "GET",
          path: `${route}?batch=${slug}`,
          headers: {},
          expect: "4xx" as const,
        })),
    );
  }
  return wrongButParsed.length ? fc.oneof({ weight: 6, arbitrary: refused }, ...wrongButParsed) : refused;
}

/** Methods a route does not export: Next answers 405. */
function wrongMethods(world: World, route: string, exported: string[]) {
  const methods = ["GET", "POST", "PUT", "DELETE", "PATCH"].filter((m) => !exported.includes(m));
  return fc.tuple(fc.constantFrom(...methods), headers(world), junk).map(([method, h, body]) => ({
    target: route,
    method,
    path: route
      .replace("[slug]", world.batchSlug)
      .replace("[chart]", "agreement.csv")
      .replace("[...nextauth]", "session"),
    headers: h,
    body: method === "GET" ? undefined : body,
    expect: "4xx" as const,
  }));
}

function researchPaths(world: World) {
  const slug = fc.oneof(junk, fc.constantFrom(world.batchSlug, "no-such-batch"));
  const chart = fc.oneof(
    junk,
    fc.constantFrom("agreement.csv", "agreement.svg", "agreement.png", "agreement", "votes-per-label.csv", "nope.csv"),
  );
  return fc
    .tuple(slug, chart, headers(world))
    .filter(
      ([s, c]) =>
        s !== "" && c !== "" && !(s === world.batchSlug && chartFileParams.safeParse({ slug: s, chart: c }).success),
    )
    .map(([s, c, h]) => ({
      target: "/api/research/[slug]/[chart]",
      method: "GET",
      path: `/api/research/${encodeURIComponent(s)}/${encodeURIComponent(c)}`,
      headers: h,
      expect: "4xx" as const,
    }));
}

const KNOWN_API = new Set(["health", "votes", "openapi.json", "log", "exports", "research", "auth"]);

function unknownApiPaths(world: World) {
  return fc
    .tuple(
      fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }), { minLength: 1, maxLength: 3 }),
      headers(world),
    )
    .filter(([segments]) => !KNOWN_API.has(segments[0]!) && !segments.some((s) => s === "." || s === ".."))
    .map(([segments, h]) => ({
      target: "(unknown /api path)",
      method: "GET",
      path: `/api/${segments.map(encodeURIComponent).join("/")}`,
      headers: h,
      expect: "4xx" as const,
    }));
}

/** POST /api/votes that must be refused: bad JSON, wrong shapes, signed out, foreign origin, unknown datapoint or option, too big. */
function invalidVotes(world: World) {
  const datapoint = fc.constantFrom(...world.datapoints);
  const shaped = fc.record(
    {
      datapointId: fc.oneof(
        datapoint.map((d) => d.id),
        fc.uuid(),
        junk,
        fc.jsonValue(),
      ),
      option: fc.oneof(
        datapoint.chain((d) => fc.constantFrom(...d.options)),
        junk,
        fc.jsonValue(),
      ),
      rationale: fc.oneof(junk, fc.constant(null), fc.constant("r".repeat(2_100)), fc.jsonValue()),
      idempotencyKey: fc.oneof(fc.uuid(), junk, fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    fc.jsonValue().map((v) => JSON.stringify(v)),
    junk,
    fc.constant(
      JSON.stringify({
        datapointId: world.datapoints[0]!.id,
        option: "A",
        idempotencyKey: "00000000-0000-4000-8000-000000000000",
        rationale: "x".repeat(20_000),
      }),
    ),
  );
  const contentType = fc.oneof(
    { weight: 4, arbitrary: fc.constant("application/json") },
    fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/problem+json",
      "application/json; charset=utf-8",
      "multipart/form-data; boundary=x",
    ),
    asciiJunk,
  );
  const auth = fc.constantFrom("none", "junk", "citizen");
  const origin = fc.option(fc.constantFrom("http://evil.example", "null", "junk", "https://127.0.0.1"), {
    nil: undefined,
  });
  return fc
    .record({ body, contentType, auth, origin, extra: headers(world) })
    .filter((r) => !isAcceptableVote(world, r))
    .map((r) => {
      const h: Record<string, string> = { ...r.extra, "content-type": r.contentType };
      delete h.cookie;
      if (r.auth === "citizen") h.cookie = world.cookies.citizen;
      if (r.auth === "junk") h.cookie = "next-auth.session-token=0123456789abcdef";
      if (r.origin) h.origin = r.origin;
      return {
        target: "/api/votes",
        method: "POST",
        path: "/api/votes",
        headers: h,
        body: r.body,
        expect: "4xx" as const,
      };
    });
}

function isAcceptableVote(
  world: World,
  r: { body: string; contentType: string; auth: string; origin?: string },
): boolean {
  if (
    r.auth !== "citizen" ||
    r.origin ||
    !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(r.contentType) ||
    Buffer.byteLength(r.body) > 16_384
  )
    return false;
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    return false;
  }
  const parsed = voteInputSchema.safeParse(json);
  if (!parsed.success) return false;
  const point = world.datapoints.find((d) => d.id === parsed.data.datapointId);
  return !!point && point.options.includes(parsed.data.option);
}

/** Demo sign-in with anything but a demo account's address. */
function invalidDemoSignIns(world: World) {
  const fields = fc.dictionary(
    fc.oneof(fc.constantFrom("email", "callbackUrl"), fc.string({ maxLength: 8 })),
    fc.oneof(junk, fc.emailAddress()),
    { maxKeys: 4 },
  );
  return fc
    .record({
      fields,
      encoding: fc.constantFrom("urlencoded", "multipart", "raw"),
      raw: junk,
      origin: fc.option(fc.constantFrom("http://evil.example", "junk"), { nil: undefined }),
      extra: headers(world),
    })
    .filter((r) => !(r.encoding !== "raw" && world.demoEmails.includes(String(r.fields.email)) && !r.origin))
    .map((r) => {
      const h: Record<string, string> = { ...r.extra };
      if (r.origin) h.origin = r.origin;
      let body: string | FormData;
      if (r.encoding === "multipart") {
        body = new FormData();
        for (const [k, v] of Object.entries(r.fields)) body.append(k, v);
      } else if (r.encoding === "urlencoded") {
        body = new URLSearchParams(r.fields).toString();
        h["content-type"] = "application/x-www-form-urlencoded";
      } else {
        body = r.raw;
        h["content-type"] = "application/x-www-form-urlencoded";
      }
      return {
        target: "/api/auth/demo",
        method: "POST",
        path: "/api/auth/demo",
        headers: h,
        body,
        expect: "4xx" as const,
      };
    });
}

/** next-auth's own endpoints with junk: its flows answer with redirects by design, so only 5xx is wrong. */
function nextAuthJunk(world: World) {
  const action = fc.oneof(
    fc.constantFrom("signin", "callback", "signout", "session", "csrf", "providers", "error", "verify-request", "_log"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }),
  );
  const provider = fc.option(
    fc.oneof(fc.constantFrom("email", "github"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 })),
    { nil: undefined },
  );
  const query = queryEntries(
    ["error", "callbackUrl", "token", "email", "code", "state", "csrf"],
    fc.oneof(junk, fc.emailAddress()),
  );
  return fc
    .record({ action, provider, query, method: fc.constantFrom("GET", "POST"), body: junk, extra: headers(world) })
    .map((r) => ({
      target: "/api/auth/[...nextauth]",
      method: r.method,
      path: `/api/auth/${encodeURIComponent(r.action)}${r.provider ? `/${encodeURIComponent(r.provider)}` : ""}${toQuery(r.query)}`,
      headers: r.method === "POST" ? { ...r.extra, "content-type": "application/x-www-form-urlencoded" } : r.extra,
      body: r.method === "POST" ? r.body : undefined,
      expect: "next-auth" as const,
    }));
}

/** The route handlers and the methods each exports; the test checks this against the build. */
export const ROUTE_METHODS: Record<string, string[]> = {
  ...Object.fromEntries(Object.keys(QUERY_ROUTES).map((route) => [route, ["GET"]])),
  "/.well-known/plenary-checkpoint-key": ["GET"],
  "/api/exports/checkpoint-key.pem": ["GET"],
  "/api/health": ["GET"],
  "/api/ping": ["POST"],
  "/api/openapi.json": ["GET"],
  "/api/research/[slug]/[chart]": ["GET"],
  "/api/votes": ["POST"],
  "/api/auth/demo": ["POST"],
  "/api/auth/[...nextauth]": ["GET", "POST"],
};

/** Every route's invalid inputs, `perRoute` for each route (more where a route takes more input). */
export function routeInputs(world: World, seed: number, perRoute: number): FuzzRequest[] {
  const generators: [fc.Arbitrary<FuzzRequest>, number][] = [
    ...Object.keys(QUERY_ROUTES).map((route): [fc.Arbitrary<FuzzRequest>, number] => [
      invalidQueries(world, route),
      perRoute * 4,
    ]),
    ...Object.entries(ROUTE_METHODS).map(([route, methods]): [fc.Arbitrary<FuzzRequest>, number] => [
      wrongMethods(world, route, methods),
      perRoute,
    ]),
    [researchPaths(world), perRoute * 5],
    [unknownApiPaths(world), perRoute * 3],
    [invalidVotes(world), perRoute * 16],
    [invalidDemoSignIns(world), perRoute * 5],
    [nextAuthJunk(world), perRoute * 4],
  ];
  return generators.flatMap(([arbitrary, count], i) => fc.sample(arbitrary, { seed: seed + i, numRuns: count }));
}
