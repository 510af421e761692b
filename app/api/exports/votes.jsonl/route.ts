import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Each rater's latest vote on each chosen datapoint, by pseudonymous rater id. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("votes.jsonl"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("votes.jsonl", query, new URL(request.url)),
});
