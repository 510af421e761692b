import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Decision records of the chosen datapoints (?decisionStatus= narrows them). Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("decisions.jsonl"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("decisions.jsonl", query, new URL(request.url)),
});
