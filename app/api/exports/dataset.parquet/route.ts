import { tableExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The dataset table as Parquet. Filters, asOfSeq, cursor and limit: see /data. */
export const GET = routeHandler((request: Request) => tableExportResponse("dataset.parquet", new URL(request.url)));
