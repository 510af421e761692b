import { tableExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Decision records of the chosen datapoints (?decisionStatus= narrows them). Filters, asOfSeq, cursor and limit: see /data. */
export const GET = routeHandler((request: Request) => tableExportResponse("decisions.jsonl", new URL(request.url)));
