import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The dataset table as CSV (RFC 4180, header row). Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("dataset.csv", new URL(request.url));
}
