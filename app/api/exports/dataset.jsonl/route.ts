import { tableExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Every chosen datapoint with its final label and tally metadata, one JSON object a line. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = routeHandler((request: Request) => tableExportResponse("dataset.jsonl", new URL(request.url)));
