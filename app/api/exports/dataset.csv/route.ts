import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The dataset table as CSV (RFC 4180, header row). Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("dataset.csv"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("dataset.csv", query, new URL(request.url)),
});
