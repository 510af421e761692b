import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** Preference pairs (prompt, chosen, rejected, metadata) from pairwise labels A or B. Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("dataset.preference.jsonl", new URL(request.url));
}
