import { entriesResponse } from "@/lib/checkpoints/api";
import { entriesQuery } from "@/lib/checkpoints/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Audit events ?from=A&to=B (seq, inclusive; at most 1,000 per request). */
export const GET = route({
  query: entriesQuery,
  handle: ({ query }) => entriesResponse(query),
});
