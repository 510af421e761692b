import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Every chosen datapoint with its final label and tally metadata, one JSON object a line. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("dataset.jsonl"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("dataset.jsonl", query, new URL(request.url)),
});
