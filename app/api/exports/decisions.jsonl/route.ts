import { tableExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** Decision records of the chosen datapoints (?decisionStatus= narrows them). Filters, asOfSeq, cursor and limit: see /data. */
export function GET(request: Request) {
  return tableExportResponse("decisions.jsonl", new URL(request.url));
}
