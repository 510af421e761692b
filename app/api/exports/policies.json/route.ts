import { policiesExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The voting policy documents (canonical JSON, by hash) used by the chosen datapoints' decisions. */
export const GET = routeHandler((request: Request) => policiesExportResponse(new URL(request.url)));
