// The OpenAPI 3.1 document of the public API, generated from the catalogue (operations.ts)
// and the routes' own zod schemas with zod's z.toJSONSchema (JSON Schema draft 2020-12, the
// dialect OpenAPI 3.1 uses). Nothing here copies a schema: a parameter changed in a feature's
// schema.ts changes the document on the next build.
import { z } from "zod";
import packageJson from "@/package.json";
import { isRateLimited } from "@/lib/http/rate-limit";
import { isPublicApi } from "./cors";
import { OPERATIONS } from "./operations";
import { RESPONSE_SCHEMAS } from "./schema";
import { TAGS, essence, type ApiOperation, type Body, type HeaderName, type ProblemStatus } from "./types";

export type JsonSchema = { [key: string]: unknown };
export type Parameter = {
  name: string;
  in: "query" | "path";
  required: boolean;
  description?: string;
  schema: JsonSchema;
};
type ObjectSchema = { properties?: Record<string, JsonSchema>; required?: string[] };

/** Transforms (text to number) have no JSON Schema; "any" documents their side as {} instead of throwing. */
function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
}

/**
 * URL parameters from a zod object. The input side is what a client writes (digits as text,
 * with their pattern); where the parsed side is a closed set of values (a status parsed in any
 * letter case), that set is documented too, since the input side is only "a string".
 */
function parametersOf(object: z.ZodObject, where: Parameter["in"], notes: Record<string, string> = {}): Parameter[] {
  const input = toJsonSchema(object, "input") as ObjectSchema;
  const output = toJsonSchema(object, "output") as ObjectSchema;
  return Object.entries(input.properties ?? {}).map(([name, schema]) => {
    const values = output.properties?.[name]?.enum;
    return {
      name,
      in: where,
      required: where === "path" || (input.required ?? []).includes(name),
      ...(notes[name] ? { description: notes[name] } : {}),
      schema: Array.isArray(values) && !schema.enum ? { ...schema, enum: values } : schema,
    };
  });
}

export function parametersOfOperation(operation: ApiOperation): Parameter[] {
  return [
    ...(operation.pathParams ? parametersOf(operation.pathParams, "path", operation.notes) : []),
    ...(operation.query ? parametersOf(operation.query, "query", operation.notes) : []),
  ];
}

/** The JSON Schema of what a client sends (the input side: before defaults and trimming). */
export function requestBodyOf(operation: ApiOperation): JsonSchema | null {
  return operation.body ? toJsonSchema(operation.body.schema, "input") : null;
}

/** What proxy.ts does to this path, from the same predicates it uses. */
export function trafficOf(path: string): { rateLimited: boolean; cors: boolean } {
  const concrete = path.replace(/\{[^}]+\}/g, "x");
  return { rateLimited: isRateLimited(concrete), cors: isPublicApi(concrete) };
}

/** The problem responses, by status, under their component names. */
export const PROBLEMS: Record<ProblemStatus, { name: string; description: string }> = {
  400: {
    name: "BadRequest",
    description: "A parameter or the body is missing, malformed, repeated or unknown; `detail` names it.",
  },
  401: { name: "Unauthorized", description: "Sign in first: the request carries no valid session." },
  403: { name: "Forbidden", description: "Not allowed from here, e.g. a request from another origin." },
  404: { name: "NotFound", description: "Nothing by that name or number (yet); `detail` says what." },
  409: {
    name: "Conflict",
    description: "Not possible in the current state, e.g. voting has closed; `reason` says which.",
  },
  413: { name: "ContentTooLarge", description: "The body is too large." },
  415: { name: "UnsupportedMediaType", description: "The body must be JSON." },
  422: {
    name: "UnprocessableContent",
    description: "Well-formed but not acceptable, e.g. an option the datapoint does not have.",
  },
  429: { name: "TooManyRequests", description: "Rate limited: wait Retry-After seconds." },
  503: {
    name: "ServiceUnavailable",
    description:
      "The database is unreachable (retry after Retry-After seconds) or a part of the service is not configured.",
  },
};

const integer = { type: "integer", minimum: 0 };
const HEADERS: Record<
  HeaderName | "RateLimit-Limit" | "RateLimit-Remaining" | "RateLimit-Reset" | "Retry-After",
  { description: string; schema: JsonSchema }
> = {
  "Content-Disposition": { description: "The file name to save as.", schema: { type: "string" } },
  "X-As-Of-Seq": {
    description: "The log position the file describes; pass it as asOfSeq to get the same bytes again.",
    schema: integer,
  },
  "X-Next-Cursor": {
    description: "Present when rows remain: pass it as cursor to continue.",
    schema: { type: "string" },
  },
  Link: {
    description: 'rel="next": the URL that continues the download, when rows remain.',
    schema: { type: "string" },
  },
  "X-From-Seq": { description: "The first event in the file.", schema: integer },
  "X-To-Seq": { description: "The last event in the file.", schema: integer },
  "RateLimit-Limit": { description: "Requests a rested client may send at once (the bucket size).", schema: integer },
  "RateLimit-Remaining": { description: "Requests left right now.", schema: integer },
  "RateLimit-Reset": { description: "Seconds until the allowance is whole again.", schema: integer },
  "Retry-After": { description: "Seconds until the next request will be accepted.", schema: integer },
};
const RATE_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] as const;

const ref = (kind: "schemas" | "responses" | "headers", name: string) => ({ $ref: `#/components/${kind}/${name}` });

function mediaTypeObject({ schema }: Body) {
  if (schema === "binary") return {};
  if (schema === "text") return { schema: { type: "string" } };
  if (schema === "object") return { schema: { type: "object" } };
  return { schema: ref("schemas", schema) };
}

function pathItem(operation: ApiOperation) {
  const { rateLimited } = trafficOf(operation.path);
  const responses: Record<string, unknown> = {};
  for (const response of operation.responses) {
    const headers = [...(response.headers ?? []), ...(rateLimited ? RATE_HEADERS : [])];
    responses[String(response.status)] = {
      description: response.description,
      ...(headers.length ? { headers: Object.fromEntries(headers.map((name) => [name, ref("headers", name)])) } : {}),
      content: Object.fromEntries(response.content.map((body) => [essence(body.mediaType), mediaTypeObject(body)])),
    };
  }
  for (const status of problemsOf(operation)) responses[String(status)] = ref("responses", PROBLEMS[status].name);
  const parameters = parametersOfOperation(operation);
  const { body } = operation;
  return {
    [operation.method ?? "get"]: {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      description: operation.description,
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              description: body.description,
              content: { "application/json": { schema: requestBodyOf(operation) } },
            },
          }
        : {}),
      ...(operation.session ? { security: [{ session: [] }] } : {}),
      responses,
    },
  };
}

/** The operation's refusals, with the proxy's 429 where it limits the path. */
export function problemsOf(operation: ApiOperation): ProblemStatus[] {
  const statuses = new Set(operation.problems);
  if (trafficOf(operation.path).rateLimited) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

/** The response bodies as JSON Schemas under their component names, nested ones as $refs. */
export function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(RESPONSE_SCHEMAS)) registry.add(schema, { id });
  // Input side: it does not claim additionalProperties: false, so adding a field to a body
  // later does not break clients that validate against this document.
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

const DESCRIPTION = `Plenary's public API: the signed audit log and its proofs, every download of the dataset and how each
label was decided, and research charts. Reading needs no account or key; casting a vote needs a signed-in
session on the site's own origin.

- **CORS:** GET and HEAD on the read endpoints are open to every origin (\`Access-Control-Allow-Origin: *\`);
  preflights are answered. Voting and sign-in are never open to other origins.
- **Rate limits:** per client address, a token bucket per server instance; every limited response carries
  \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`, and a refusal is a 429 with \`Retry-After\`.
- **Errors** are RFC 9457 \`application/problem+json\` with a one-sentence \`detail\`.`;

export function buildDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Plenary public API", version: packageJson.version, description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: OPERATIONS.reduce<Record<string, Record<string, unknown>>>((paths, operation) => {
      paths[operation.path] = { ...paths[operation.path], ...pathItem(operation) };
      return paths;
    }, {}),
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(
        Object.values(PROBLEMS).map(({ name, description }) => [
          name,
          {
            description,
            ...(name === "TooManyRequests"
              ? { headers: Object.fromEntries(["Retry-After", ...RATE_HEADERS].map((h) => [h, ref("headers", h)])) }
              : {}),
            ...(name === "ServiceUnavailable" ? { headers: { "Retry-After": ref("headers", "Retry-After") } } : {}),
            content: { "application/problem+json": { schema: ref("schemas", "Problem") } },
          },
        ]),
      ),
      headers: HEADERS,
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The session cookie set by signing in on the site (named __Secure-next-auth.session-token on https).",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let built: OpenApiDocument | undefined;

/** Built once per process: it depends only on the code. */
export function openApiDocument(): OpenApiDocument {
  built ??= buildDocument();
  return built;
}
