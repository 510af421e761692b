import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The dataset table as Parquet. Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("dataset.parquet", new URL(request.url));
}
