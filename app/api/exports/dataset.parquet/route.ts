import { tableExportResponse, tableQuery } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The dataset table as Parquet. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = route({
  query: tableQuery("dataset.parquet"),
  refusalHeaders: CORS,
  handle: ({ query, request }) => tableExportResponse("dataset.parquet", query, new URL(request.url)),
});
