import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Preference pairs (prompt, chosen, rejected, metadata) from pairwise labels A or B. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("dataset.preference.jsonl"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("dataset.preference.jsonl", query, new URL(request.url)),
});
