import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** Each rater's latest vote on each chosen datapoint, by pseudonymous rater id. Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("votes.jsonl", new URL(request.url));
}
