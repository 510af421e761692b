import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** Every chosen datapoint with its final label and tally metadata, one JSON object a line. Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("dataset.jsonl", new URL(request.url));
}
