import { checkpointsExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Signed checkpoints, smallest tree first; ?fromTreeSize=&toTreeSize= choose a range. */
export const GET = routeHandler((request: Request) => checkpointsExportResponse(new URL(request.url)));
