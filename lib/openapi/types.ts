// The catalogue's vocabulary: one ApiOperation per API route and method, in words; parameter
// and body schemas are the routes' own zod objects, so they cannot drift.
import type { z } from "zod";
import type { ResponseSchemaName } from "./schema";

export const TAGS = {
  "Audit log": "Signed checkpoints, RFC 9162 inclusion and consistency proofs, and the events themselves.",
  Downloads: "The dataset, decisions, votes, policies and the audit trail as files; the same bytes as a release.",
  Research: "Per-batch charts as data (CSV) or pictures (SVG).",
  Voting: "Casting a vote as the signed-in user: from this site's origin only, never cross-origin.",
  Service: "The service itself: health and this description.",
} as const;

export type Tag = keyof typeof TAGS;

/** Refusals, each an RFC 9457 problem; 429 is added to every rate-limited operation. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Response headers worth telling a client about (components.headers holds their words). */
export type HeaderName = "Content-Disposition" | "X-As-Of-Seq" | "X-Next-Cursor" | "Link" | "X-From-Seq" | "X-To-Seq";

/** A body: a named JSON schema, or text / bytes whose format the description gives. */
export type Body = { mediaType: string; schema: ResponseSchemaName | "text" | "binary" | "object" };

type ResponseDoc = { status: 200 | 201 | 503; description: string; content: Body[]; headers?: HeaderName[] };

export type ApiOperation = {
  /** OpenAPI path template: the route's folder, with [param] written {param}. */
  path: string;
  /** GET unless said otherwise. */
  method?: "get" | "post";
  operationId: string;
  tag: Tag;
  summary: string;
  description: string;
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  /** What each parameter means; the schema (type, pattern, values) comes from the zod object. */
  notes?: Record<string, string>;
  /** A JSON request body, parsed by this zod schema; `example` is a body it accepts. */
  body?: { schema: z.ZodType; description: string; example: unknown };
  /** Needs a signed-in session (the next-auth session cookie). */
  session?: boolean;
  /** Path and query of a request that works against the demo data, for the docs' curl line. */
  example: string;
  responses: ResponseDoc[];
  problems: ProblemStatus[];
};

/** A media type without its parameters: `text/csv; header=present` is documented as `text/csv`. */
export const essence = (mediaType: string) => mediaType.split(";")[0]!.trim();
