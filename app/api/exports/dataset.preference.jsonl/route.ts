import { tableExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Preference pairs (prompt, chosen, rejected, metadata) from pairwise labels A or B. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = routeHandler((request: Request) => tableExportResponse("dataset.preference.jsonl", new URL(request.url)));
