import { tableExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Each rater's latest vote on each chosen datapoint, by pseudonymous rater id. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = routeHandler((request: Request) => tableExportResponse("votes.jsonl", new URL(request.url)));
