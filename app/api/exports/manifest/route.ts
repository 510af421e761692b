import { manifestResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The release manifest for the filters at the latest (or ?treeSize=) signed checkpoint. */
export const GET = routeHandler((request: Request) => manifestResponse(new URL(request.url)));
